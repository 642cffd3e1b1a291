import { matcherRegExp } from './silence';
import { Re2SyntaxError, translateRe2 } from './silence-regex';

const matches = (pattern: string, value: string): boolean => matcherRegExp(pattern).test(value);

describe('translateRe2', () => {
  it.each([
    // Flags: whole pattern, scoped, switched off, and for the rest of the group only.
    ['(?i)sol', 'SOL', true],
    ['(?i)sol', 'sOl', true],
    ['(?i:sol)', 'SOL', true],
    ['(?i:sol)X', 'SOLx', false],
    ['(?i)s(?-i)ol', 'Sol', true],
    ['(?i)s(?-i)ol', 'SOL', false],
    ['a(?i)b|c', 'C', true],
    ['(a(?i)b)c', 'aBC', false],
    ['(?i)k', '\u212A', true], // Kelvin sign, in k's case orbit as in RE2
    ['(?i)σ', 'ς', true],
    ['(?i)[a-c]+', 'AbC', true],
    ['(?i)[^a]', 'A', false],
    ['(?s).', '\n', true],
    ['.', '\n', false],
    ['(?U)a+', 'aaa', true],
    // POSIX classes (ASCII, as in RE2), inside brackets, negated, mixed.
    ['[[:alpha:]]+', 'SOL', true],
    ['[[:alpha:]]+', 'SOL1', false],
    ['[[:upper:][:digit:]]+', 'SOL1', true],
    ['[[:^digit:]]+', 'SOL', true],
    ['[[:^digit:]]+', 'S0L', false],
    ['[[:alpha:]]', 'é', false],
    ['[[:xdigit:]]{4}', 'BEEF', true],
    ['[[:punct:]]', '!', true],
    // Unicode classes: one letter, braces, negated, scripts, inside brackets.
    ['\\pL+', 'SOL', true],
    ['\\pL+', 'Sölö', true],
    ['\\pL+', 'SOL1', false],
    ['\\p{Lu}+', 'SOL', true],
    ['\\p{Lu}+', 'Sol', false],
    ['\\PL+', '123', true],
    ['\\p{^L}', 'a', false],
    ['\\p{Greek}+', 'αβγ', true],
    ['\\p{Greek}', 'a', false],
    ['[\\p{Lu}\\d]+', 'SOL2', true],
    ['\\pL', '𝐀', true], // an astral letter is one code point
    ['(?i)\\p{Lu}', 'a', true],
    // Dot, negated classes and Perl classes count code points and keep RE2's ASCII meaning.
    ['.', '😀', true],
    ['^.$', '😀', true],
    ['[^a]', '😀', true],
    ['..', '😀', false],
    ['\\s', '\u00a0', false],
    ['\\s', '\v', false],
    ['\\w+', 'é', false],
    ['\\d', '٣', false],
    ['\\D', '😀', true],
    ['.\\p{Cs}', 'a\uD800', true], // a lone surrogate is one character, of category Cs
    ['\\pL', '\uD800', false],
    // Escapes and the rest of RE2's syntax.
    ['\\x{1F600}', '😀', true],
    ['\\x41', 'A', true],
    ['\\101', 'A', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Aab\\z', 'ab', true],
    ['(?P<sym>SOL)|(?<other>ETH)', 'ETH', true],
    ['a{2,3}', 'aaa', true],
    ['a{,2}', 'a{,2}', true],
    ['SOL|ETH', 'ETH', true],
    ['SOL|ETH', 'SOLETH', false],
    ['a.c', 'a.c', true],
    ['a\\.c', 'abc', false],
    ['[]a]+', ']a', true],
    ['[a-]+', 'a-', true],
    ['', '', true],
  ])('%s on %j: %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });

  it.each([
    ['(?=SOL)SOL', 'lookahead'],
    ['(?!SOL)', 'lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(SOL)\\1', 'backreference \\1'],
    ['\\C', '\\C (any byte)'],
    ['(?m)^SOL$', 'm flag'],
    ['(?x)SOL', 'unknown flag x'],
    ['\\Z', 'unknown escape \\Z'],
    ['\\y', 'unknown escape \\y'],
    ['\\p{Klingon}', 'unknown Unicode class \\p{Klingon}'],
    ['[[:alphabet:]]', 'unknown POSIX class'],
    ['a**', 'bad repetition operator'],
    ['*a', 'missing argument to repetition operator'],
    ['a{1001}', 'invalid repeat count'],
    ['[z-a]', 'invalid character class range'],
    ['(a', 'missing )'],
    ['a)|(b', 'unexpected )'],
    ['[a', 'ends too early'],
    ['a\\', 'ends too early'],
  ])('refuses %s, naming %s', (pattern, named) => {
    expect(() => translateRe2(pattern)).toThrow(Re2SyntaxError);
    expect(() => translateRe2(pattern)).toThrow(named);
  });

  it('translates into a pattern V8 runs in linear time: patterns that backtrack catastrophically answer at once on 5,000 characters', () => {
    const adversarial = `${'a'.repeat(5_000)}!`;
    for (const pattern of ['(?i)(A+)+', '(\\pL+)+', '([[:alpha:]]|[[:lower:]])+', '(?s)(.*a){12}', '(\\p{Ll}|a)+']) {
      expect([pattern, matches(pattern, adversarial)]).toEqual([pattern, false]);
    }
  });
});
