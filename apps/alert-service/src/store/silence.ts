import { setFlagsFromString } from 'node:v8';
import { z } from 'zod';
import { AlertStoreInputError } from './alert-store-errors';
import { Re2SyntaxError, translateRe2, type Re2Translation } from './silence-regex';

// Matcher regexes run on V8's linear-time engine (the `l` flag, which this flag enables), as
// Alertmanager's run on RE2: the backtracking engine takes exponential time on patterns such as
// `(a+)+`, and one silence would block the event loop. Set before any matcher is compiled.
setFlagsFromString('--enable-experimental-regexp-engine');

/** Why a regex matcher is refused when V8's linear-time engine cannot run its translation. */
const LINEAR_TIME_REQUIRED = 'cannot run in linear time: RE2-style syntax is required, with counted repetitions {n,m} up to 16 (nested ones multiplied)';

/** One label matcher, as in Alertmanager. */
export interface SilenceMatcher {
  /** Label name. */
  name: string;
  /**
   * Value, or a regular expression when `isRegex` (anchored: it must match the whole value; RE2
   * syntax, translated and run in linear time, see {@link matcherRegExp}).
   */
  value: string;
  /** `value` is a regular expression (default false). */
  isRegex: boolean;
  /** Match when equal (true, default) or when NOT equal (false: `!=` / `!~`). */
  isEqual: boolean;
}

/** A stored silence. Times are epoch ms. */
export interface Silence {
  /** UUID. */
  id: string;
  /** All must match an alert's labels (a missing label counts as the empty string). */
  matchers: SilenceMatcher[];
  /** Active from (inclusive). */
  startsAt: number;
  /** Active until (exclusive); `deleteSilence` sets it to now. */
  endsAt: number;
  /** Author (of the current version: `updateSilence` replaces it). */
  createdBy: string;
  /** Why. */
  comment: string;
  /** When it was created. */
  createdAt: number;
  /** When it last changed. */
  updatedAt: number;
}

/** Where a silence stands at a given time. */
export type SilenceState = 'pending' | 'active' | 'expired';

const time = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

const matcherSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'label names match [A-Za-z_][A-Za-z0-9_]{0,63}'),
  value: z
    .string()
    .max(1024)
    .describe('the label value, or with isRegex an RE2 pattern matching the whole value (docs/api.md: what RE2 syntax is supported and how it differs)'),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

/** What `createSilence` and `updateSilence` accept: times as epoch ms or RFC 3339 text; `startsAt` defaults to now (on an update: the current start). */
export const silenceInputSchema = z.strictObject({
  matchers: z.array(matcherSchema).min(1).max(32),
  startsAt: time.optional(),
  endsAt: time,
  createdBy: z.string().trim().min(1).max(200),
  comment: z.string().trim().min(1).max(2000),
});

/** Input of `createSilence` and `updateSilence` (see {@link silenceInputSchema}). */
export type SilenceInput = z.input<typeof silenceInputSchema>;

function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/**
 * Validates a silence input and builds the silence (id, times resolved, defaults applied).
 * Regex matchers must compile for the linear-time engine (see {@link matcherRegExp}); `endsAt`
 * must come after `startsAt` and after `nowMs`.
 * @param input the input (see {@link silenceInputSchema})
 * @param id the silence's id
 * @param nowMs the current time: `createdAt`, `updatedAt`, and the default `startsAt`
 * @param previous the silence `input` replaces (an update), if any: its `createdAt` is kept and
 *   its `startsAt` is the default instead of `nowMs` (default: none, a new silence)
 * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`) listing every bad field
 */
export function parseSilenceInput(input: unknown, id: string, nowMs: number, previous?: Pick<Silence, 'startsAt' | 'createdAt'>): Silence {
  const result = silenceInputSchema.safeParse(input);
  if (!result.success) {
    throw new AlertStoreInputError(
      result.error.issues.map((issue) => ({
        field: fieldOf(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path),
        message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
      })),
    );
  }
  const data = result.data;
  const issues: Array<{ field: string; message: string }> = [];
  data.matchers.forEach((matcher, index) => {
    if (!matcher.isRegex) return;
    const field = `matchers[${index}].value`;
    let source: string;
    try {
      source = translateRe2(matcher.value).source;
      // Parsed only (V8 compiles on first use): tells a syntax error from a pattern the linear engine refuses.
      new RegExp(anchored(source));
    } catch (error) {
      // The translation's own refusals name the construct; V8's name the translated pattern, which says less.
      const message = error instanceof Re2SyntaxError ? error.message : `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
      issues.push({ field, message });
      return;
    }
    try {
      matcherRegExp(matcher.value);
    } catch {
      issues.push({ field, message: LINEAR_TIME_REQUIRED });
    }
  });
  const startsAt = data.startsAt ?? previous?.startsAt ?? nowMs;
  if (data.endsAt <= startsAt) issues.push({ field: 'endsAt', message: 'must be after startsAt' });
  else if (data.endsAt <= nowMs) issues.push({ field: 'endsAt', message: 'must be in the future' });
  if (issues.length > 0) throw new AlertStoreInputError(issues);
  return { id, matchers: data.matchers, startsAt, endsAt: data.endsAt, createdBy: data.createdBy, comment: data.comment, createdAt: previous?.createdAt ?? nowMs, updatedAt: nowMs };
}

/** `pending` before `startsAt`, `active` until `endsAt`, then `expired`. */
export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, nowMs: number): SilenceState {
  if (nowMs < silence.startsAt) return 'pending';
  return nowMs < silence.endsAt ? 'active' : 'expired';
}

function anchored(pattern: string): string {
  return `^(?:${pattern})$`;
}

/** A compiled regex matcher: its `test` rewrites the label into the translation's alphabet, then matches. */
class LabelPattern extends RegExp {
  private readonly rewrite: (label: string) => string;

  constructor(translation: Re2Translation) {
    // `l`: V8's linear-engine flag, enabled at the top of this module.
    super(anchored(translation.source), 'l');
    this.rewrite = translation.rewrite;
  }

  /** Whether the whole label matches. */
  override test(label: string): boolean {
    return super.test(this.rewrite(label));
  }
}

/**
 * Compiles a regex matcher's value, RE2 syntax translated by {@link translateRe2} and anchored
 * (`^(?:value)$`), for V8's linear-time engine (flag `l`): matching takes time linear in the
 * label's length whatever the pattern, like RE2's. Use its `test` only: it matches the label
 * in the translation's alphabet.
 * @throws Re2SyntaxError for what is not RE2 syntax or not supported (lookarounds,
 *   backreferences, `(?m)`...), SyntaxError for counted repetitions over 16
 */
export function matcherRegExp(value: string): RegExp {
  // The translation is balanced (it refuses a stray `)`), so a value such as `a)|(b` cannot
  // escape the anchors.
  return new LabelPattern(translateRe2(value));
}

/** Compiled matchers by value; `null`: the linear engine cannot run it. */
const compiled = new Map<string, RegExp | null>();

function compiledMatcher(value: string): RegExp | null {
  let pattern = compiled.get(value);
  if (pattern === undefined) {
    try {
      pattern = matcherRegExp(value);
    } catch {
      pattern = null;
    }
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(value, pattern);
  }
  return pattern;
}

function matcherMatches(matcher: SilenceMatcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[matcher.name] ?? '';
  let equal: boolean;
  if (matcher.isRegex) {
    const pattern = compiledMatcher(matcher.value);
    // Stored before such patterns were refused: the silence silences nothing rather than run it backtracking.
    if (pattern === null) return false;
    equal = pattern.test(value);
  } else {
    equal = value === matcher.value;
  }
  return matcher.isEqual ? equal : !equal;
}

/**
 * Whether every matcher of the silence matches `labels` (Alertmanager semantics; regexes anchored
 * and run in linear time). A regex matcher the linear engine cannot run (a silence stored before
 * they were refused) matches nothing, whatever its `isEqual`: such a silence silences nothing.
 */
export function silenceMatches(silence: Pick<Silence, 'matchers'>, labels: Readonly<Record<string, string>>): boolean {
  return silence.matchers.every((matcher) => matcherMatches(matcher, labels));
}
