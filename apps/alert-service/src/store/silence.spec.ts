import { parseSilenceInput, silenceMatches, silenceState } from './silence';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const matcher = (name: string, value: string, options: { isRegex?: boolean; isEqual?: boolean } = {}) => ({
  name,
  value,
  isRegex: options.isRegex ?? false,
  isEqual: options.isEqual ?? true,
});

describe('silences', () => {
  const labels = { rule: 'btc-above', kind: 'price_threshold', symbol: 'BTC' };

  it('matches when every matcher matches, with Alertmanager semantics', () => {
    expect(silenceMatches({ matchers: [matcher('symbol', 'BTC')] }, labels)).toBe(true);
    expect(silenceMatches({ matchers: [matcher('symbol', 'BTC'), matcher('kind', 'risk_threshold')] }, labels)).toBe(false);
    expect(silenceMatches({ matchers: [matcher('symbol', 'ETH', { isEqual: false })] }, labels)).toBe(true);
    expect(silenceMatches({ matchers: [matcher('symbol', 'B.C|ETH', { isRegex: true })] }, labels)).toBe(true);
    expect(silenceMatches({ matchers: [matcher('kind', 'price', { isRegex: true })] }, labels)).toBe(false); // anchored
    expect(silenceMatches({ matchers: [matcher('kind', 'price.*', { isRegex: true, isEqual: false })] }, labels)).toBe(false);
  });

  it('treats a missing label as the empty string', () => {
    expect(silenceMatches({ matchers: [matcher('instance', '')] }, labels)).toBe(true);
    expect(silenceMatches({ matchers: [matcher('instance', '.+', { isRegex: true })] }, labels)).toBe(false);
  });

  it('is pending before startsAt, active until endsAt (exclusive), then expired', () => {
    const silence = { startsAt: T0, endsAt: T0 + 1000 };
    expect([silenceState(silence, T0 - 1), silenceState(silence, T0), silenceState(silence, T0 + 999), silenceState(silence, T0 + 1000)]).toEqual([
      'pending', 'active', 'active', 'expired',
    ]);
  });

  it('parses RFC 3339 or epoch times, defaults startsAt to now and applies matcher defaults', () => {
    const silence = parseSilenceInput(
      { matchers: [{ name: 'symbol', value: 'BTC' }], endsAt: '2025-03-01T13:00:00Z', createdBy: 'alice', comment: 'upgrade' },
      'id-1',
      T0,
    );
    expect(silence).toEqual({
      id: 'id-1',
      matchers: [matcher('symbol', 'BTC')],
      startsAt: T0,
      endsAt: T0 + 3_600_000,
      createdBy: 'alice',
      comment: 'upgrade',
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('names every bad field', () => {
    const parse = (input: unknown) => () => parseSilenceInput(input, 'id', T0);
    expect(parse({ matchers: [{ name: '1bad', value: 'x' }], endsAt: T0 + 1, createdBy: '', comment: 'c' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT', issues: expect.arrayContaining([expect.objectContaining({ field: 'matchers[0].name' }), expect.objectContaining({ field: 'createdBy' })]) }),
    );
    expect(parse({ matchers: [matcher('a', '[', { isRegex: true })], endsAt: T0 + 1, createdBy: 'a', comment: 'c' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'matchers[0].value' })] }),
    );
    expect(parse({ matchers: [matcher('a', 'b')], startsAt: T0 + 10, endsAt: T0 + 5, createdBy: 'a', comment: 'c' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'endsAt', message: 'must be after startsAt' })] }),
    );
    expect(parse({ matchers: [matcher('a', 'b')], endsAt: T0 + 5, createdBy: 'a', comment: 'c', author: 'x' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'author', message: 'unknown field' })] }),
    );
  });
});
