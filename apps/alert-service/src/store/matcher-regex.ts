import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/**
 * Silence regex matchers in RE2 syntax and semantics, as Alertmanager runs them (Go's regexp),
 * by re2js, a JavaScript port of RE2/Go's regexp: matching takes time linear in the label's
 * length whatever the pattern, so no silence can block the event loop the way a backtracking
 * pattern such as `(a+)+$` does on JavaScript's own engine.
 */

/**
 * Most RE2 instructions a matcher may compile to. Linear time is linear in the label times the
 * program: RE2's own limit (over a million) lets one 1 KiB pattern take seconds per label, and
 * every alert change checks every active silence. At this size a 256-character label takes at
 * most a few hundred milliseconds; `a{1000}` and `[a-z]{1,1000}` fit.
 */
export const MAX_MATCHER_PROGRAM_SIZE = 5_000;

/**
 * A matcher pattern refused by {@link compileMatcherRegex}, naming the problem: `invalid regular
 * expression:` and RE2's own message for what RE2 refuses, `RE2-style syntax is required:` for a
 * construct of other dialects RE2 has no form of (lookarounds, backreferences), or `regular
 * expression too large:`.
 */
export class Re2SyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = 'Re2SyntaxError';
  }
}

/**
 * Constructs users bring from PCRE or JavaScript, by the text RE2 stopped at: RE2's message
 * names only those characters (a lookbehind as an `invalid named capture`).
 */
const OTHER_DIALECTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\(\?[=!]/, 'lookahead'],
  [/^\(\?<[=!]/, 'lookbehind'],
  [/^\\(?:[1-9]|k)/, 'backreference'],
];

function refusal(error: RE2JSException): Re2SyntaxError {
  const stoppedAt = error instanceof RE2JSSyntaxException ? (error.getPattern() ?? '') : '';
  for (const [construct, name] of OTHER_DIALECTS) {
    const found = construct.exec(stoppedAt);
    if (found) return new Re2SyntaxError(`RE2-style syntax is required: ${name} ${found[0]} is not supported (RE2 has none: it cannot run in linear time)`);
  }
  return new Re2SyntaxError(`invalid regular expression: ${error.message.replace(/^error parsing regexp: /, '')}`);
}

/** Whether a whole label value matches the pattern. */
export type MatcherRegex = (label: string) => boolean;

/**
 * Compiles a regex matcher's value. It matches the whole label value, as Alertmanager's
 * `^(?:value)$` does, but anchored by the engine rather than by text around the value, so a
 * value such as `a)|(b` is refused instead of escaping the anchors.
 * @throws Re2SyntaxError when RE2 refuses the pattern, or it compiles to more than
 *   {@link MAX_MATCHER_PROGRAM_SIZE} instructions
 */
export function compileMatcherRegex(value: string): MatcherRegex {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(value);
  } catch (error) {
    if (error instanceof RE2JSException) throw refusal(error);
    throw error;
  }
  const size = pattern.programSize();
  if (size > MAX_MATCHER_PROGRAM_SIZE) {
    throw new Re2SyntaxError(`regular expression too large: it compiles to ${size} RE2 instructions, more than ${MAX_MATCHER_PROGRAM_SIZE} (a counted repetition {n} copies what it repeats n times)`);
  }
  return (label) => pattern.testExact(label);
}
