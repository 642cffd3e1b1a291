import type { CloudEvent } from '@rebal/gateway-client';
import { formatChange, formatClock, formatPrice, priceRowFromEvent } from './price-view-model';

const price = (symbol: string, value: number, time = '2024-04-05T19:34:38.902Z', currency = 'USD'): CloudEvent => ({
  specversion: '1.0',
  id: `e-${symbol}-${value}`,
  source: '/pricing-job',
  type: 'price_update',
  time,
  subject: symbol,
  data: { symbol, price: value, currency },
});

describe('priceRowFromEvent', () => {
  it('computes the change against the previous price of the symbol', () => {
    const first = priceRowFromEvent(undefined, price('BTC', 64_000));
    expect(first).toEqual({ symbol: 'BTC', price: 64_000, currency: 'USD', change: undefined, changePct: undefined, updatedAt: Date.parse('2024-04-05T19:34:38.902Z') });
    const second = priceRowFromEvent(first, price('BTC', 64_640, '2024-04-05T19:34:40.000Z'));
    expect(second?.change).toBe(640);
    expect(second?.changePct).toBeCloseTo(1, 10);
  });

  it('ignores events that are not usable price updates', () => {
    expect(priceRowFromEvent(undefined, { ...price('BTC', 1), type: 'risk_metric' })).toBeUndefined();
    expect(priceRowFromEvent(undefined, price('BTC', 0))).toBeUndefined();
    expect(priceRowFromEvent(undefined, { ...price('BTC', 1), data: { price: 1 } })).toBeUndefined();
  });
});

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

  it('formats times as a 24-hour clock', () => {
    expect(formatClock(Date.parse('2024-04-05T19:34:38.902Z'), 'UTC')).toBe('19:34:38');
  });
});
