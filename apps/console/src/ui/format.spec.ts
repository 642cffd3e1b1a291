import { formatChange, formatClock, formatCount, formatDateTime, formatPrice } from './format';

describe('formatting', () => {
  it('formats prices with their currency and enough decimals for small values', () => {
    expect(formatPrice(64250.5, 'USD')).toBe('$64,250.50');
    expect(formatPrice(0.000123, 'USD')).toBe('$0.0001230');
    expect(formatPrice(1.5, 'USDT')).toBe('1.50 USDT');
  });

  it('signs changes and reports their direction', () => {
    expect(formatChange(12.5, 0.0195)).toEqual({ text: '+12.50 (+0.02%)', direction: 'up' });
    expect(formatChange(-3.1, -1.2)).toEqual({ text: '−3.10 (−1.20%)', direction: 'down' });
    expect(formatChange(0, 0)).toEqual({ text: '0.00 (0.00%)', direction: 'flat' });
    expect(formatChange(undefined, undefined)).toEqual({ text: '—', direction: 'none' });
  });

  it('formats times as a 24-hour clock, dates with minutes, and counts with separators', () => {
    expect(formatClock(Date.parse('2024-04-05T19:34:38.902Z'), 'UTC')).toBe('19:34:38');
    expect(formatDateTime(Date.parse('2024-04-05T19:34:38.902Z'), 'UTC')).toBe('2024-04-05 19:34');
    expect([formatCount(12345), formatCount(null), formatCount(undefined)]).toEqual(['12,345', '—', '—']);
  });
});
