import { compileMatcherRegex } from './matcher-regex';
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

  describe('regex matchers (RE2 semantics: linear time)', () => {
    const silenceOf = (value: string, isEqual = true) => ({ matchers: [matcher('probe', value, { isRegex: true, isEqual })] });
    const refusal = (value: string) => {
      try {
        parseSilenceInput({ matchers: [matcher('symbol', 'BTC'), matcher('probe', value, { isRegex: true })], endsAt: T0 + 1000, createdBy: 'a', comment: 'c' }, 'id', T0);
      } catch (error) {
        return (error as { issues?: unknown }).issues;
      }
      return 'accepted';
    };

    it('compiles every regex matcher anchored: it matches the whole value only', () => {
      const pattern = compileMatcherRegex('(a+)+');
      expect([pattern('aaa'), pattern('aaab'), pattern('baaa')]).toEqual([true, false, false]);
    });

    it('matches a pattern that backtracks catastrophically against a 5,000-character adversarial label, and answers right', () => {
      // A backtracking engine would take about 2^5000 steps here, blocking the runner for good.
      const adversarial = `${'a'.repeat(5_000)}!`;
      expect(silenceMatches(silenceOf('(a+)+'), { probe: adversarial })).toBe(false);
      expect(silenceMatches(silenceOf('(a+)+', false), { probe: adversarial })).toBe(true);
      expect(silenceMatches(silenceOf('(a|aa)+$|(a+)+'), { probe: 'a'.repeat(5_000) })).toBe(true);
      expect(silenceMatches(silenceOf('(.*a){12}'), { probe: 'a'.repeat(5_000) })).toBe(true);
    });

    it('refuses at validation, naming the matcher, a pattern the linear engine cannot run, saying RE2-style syntax is required', () => {
      for (const value of ['(a)\\1', '(?<x>a)\\k<x>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) {
        expect({ value, issues: refusal(value) }).toEqual({
          value,
          issues: [{ field: 'matchers[1].value', message: expect.stringContaining('RE2-style syntax is required') }],
        });
      }
    });

    it('still tells a syntax error apart, and accepts RE2-style patterns', () => {
      expect(refusal('(')).toEqual([{ field: 'matchers[1].value', message: expect.stringMatching(/^invalid regular expression: /) }]);
      // Unbalanced on its own, though `^(?:a)|(b)$` would compile: refused, never allowed to escape the anchors.
      expect(refusal('a)|(b')).toEqual([{ field: 'matchers[1].value', message: expect.stringMatching(/^invalid regular expression: /) }]);
      expect(() => compileMatcherRegex('a)|(b')).toThrow(SyntaxError);
      expect(refusal('(a?b?){1000}')).toEqual([{ field: 'matchers[1].value', message: expect.stringMatching(/^regular expression too large: /) }]);
      // Counted repetitions up to RE2's 1000, and (?m), are RE2.
      for (const value of ['(a+)+', 'B.C|ETH', '[a-z]{1,16}', 'btc-.*', '(?:x|y)*z', '\\w+\\.example\\.com', 'a{17}', '[a-z]{1,64}', '(?m)^x$']) {
        expect({ value, result: refusal(value) }).toEqual({ value, result: 'accepted' });
      }
    });

    it('lets a stored silence whose pattern the linear engine cannot run silence nothing, whatever its isEqual', () => {
      expect(silenceMatches(silenceOf('(a)\\1'), { probe: 'aa' })).toBe(false);
      expect(silenceMatches(silenceOf('(a)\\1', false), { probe: 'b' })).toBe(false);
    });
  });
});
