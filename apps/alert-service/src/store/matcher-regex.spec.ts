import { compileMatcherRegex, MAX_MATCHER_PROGRAM_SIZE, Re2SyntaxError } from './matcher-regex';

const matches = (pattern: string, value: string): boolean => compileMatcherRegex(pattern)(value);

describe('compileMatcherRegex', () => {
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
    // (?m): ^ and $ also at line ends inside the value; the whole value must still match.
    ['(?m)^SOL$', 'SOL', true],
    ['(?m)^a$\\n^b$', 'a\nb', true],
    ['(?m)^b$', 'a\nb', false],
    ['a$\\n', 'a\n', false],
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
    // Counted repetitions up to RE2's 1000.
    ['a{17}', 'a'.repeat(17), true],
    ['a{1000}', 'a'.repeat(1000), true],
    ['[a-z]{1,64}', 'sol', true],
    ['a{,2}', 'a{,2}', true],
    ['SOL|ETH', 'ETH', true],
    ['SOL|ETH', 'SOLETH', false],
    ['a.c', 'a.c', true],
    ['a\\.c', 'abc', false],
    ['[]a]+', ']a', true],
    ['[a-]+', 'a-', true],
    ['', '', true],
    // The whole value, whatever the alternation: a|ab takes ab.
    ['a|ab', 'ab', true],
    ['b|a', 'ab', false],
    ['(a+)+', 'aaa', true],
    ['(a+)+', 'aaab', false],
  ])('%s on %j: %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });

  it.each([
    // Constructs of other dialects, named as such.
    ['(?=SOL)SOL', 'RE2-style syntax is required: lookahead (?='],
    ['(?!SOL)', 'RE2-style syntax is required: lookahead (?!'],
    ['(?<=a)b', 'RE2-style syntax is required: lookbehind (?<='],
    ['(SOL)\\1', 'RE2-style syntax is required: backreference \\1'],
    ['(?<x>a)\\k<x>', 'RE2-style syntax is required: backreference \\k'],
    // What RE2 refuses, in RE2's words.
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['(?x)SOL', 'invalid or unsupported Perl syntax: `(?x`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['\\y', 'invalid escape sequence: `\\y`'],
    ['\\p{Klingon}', 'invalid character class range: `\\p{Klingon}`'],
    ['[[:alphabet:]]', 'invalid character class range: `[:alphabet:]`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['*a', 'missing argument to repetition operator'],
    ['a{1001}', 'invalid repeat count'],
    ['(a{1000}){2}', 'invalid repeat count'],
    ['[z-a]', 'invalid character class range'],
    ['(a', 'missing closing )'],
    ['a)|(b', 'unexpected )'],
    ['[a', 'missing closing ]'],
    ['a\\', 'trailing backslash'],
    // Valid RE2, but a program so large that one match could take seconds.
    ['(a?b?){1000}', 'regular expression too large'],
    [`${'a{1000}'.repeat(6)}`, 'regular expression too large'],
  ])('refuses %s, naming %s', (pattern, named) => {
    expect(() => compileMatcherRegex(pattern)).toThrow(Re2SyntaxError);
    expect(() => compileMatcherRegex(pattern)).toThrow(named);
  });

  it(`accepts programs up to ${MAX_MATCHER_PROGRAM_SIZE} instructions: any counted repetition up to 1000 of a short atom`, () => {
    for (const pattern of ['a{1000}', '[a-z]{1,1000}', '(?i)\\pL{1000}', '(.*a){999}']) expect([pattern, matches(pattern, '!')]).toEqual([pattern, false]);
  });

  it('runs in linear time: patterns that backtrack catastrophically answer at once on 5,000 characters', () => {
    const adversarial = `${'a'.repeat(5_000)}!`;
    for (const pattern of ['(a+)+$', '(?i)(A+)+', '(\\pL+)+', '([[:alpha:]]|[[:lower:]])+', '(?s)(.*a){12}', '(\\p{Ll}|a)+']) {
      expect([pattern, matches(pattern, adversarial)]).toEqual([pattern, false]);
    }
  });
});
