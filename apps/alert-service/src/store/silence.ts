import { z } from 'zod';
import { AlertStoreInputError } from './alert-store-errors';
import { compileMatcherRegex, type MatcherRegex } from './matcher-regex';

/** One label matcher, as in Alertmanager. */
export interface SilenceMatcher {
  /** Label name. */
  name: string;
  /**
   * Value, or a regular expression when `isRegex` (anchored: it must match the whole value; RE2
   * syntax and semantics, run in linear time, see {@link compileMatcherRegex}).
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
    .describe('the label value, or with isRegex an RE2 pattern matching the whole value (RE2 syntax and semantics, as in Alertmanager; docs/api.md: its limits)'),
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
 * Regex matchers must compile (see {@link compileMatcherRegex}); `endsAt`
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
    try {
      compileMatcherRegex(matcher.value);
    } catch (error) {
      issues.push({ field: `matchers[${index}].value`, message: (error as Error).message });
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

/** Compiled matchers by value; `null`: refused (see {@link compileMatcherRegex}). */
const compiled = new Map<string, MatcherRegex | null>();

function compiledMatcher(value: string): MatcherRegex | null {
  let pattern = compiled.get(value);
  if (pattern === undefined) {
    try {
      pattern = compileMatcherRegex(value);
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
    // Stored before such patterns were refused: the silence silences nothing rather than guess.
    if (pattern === null) return false;
    equal = pattern(value);
  } else {
    equal = value === matcher.value;
  }
  return matcher.isEqual ? equal : !equal;
}

/**
 * Whether every matcher of the silence matches `labels` (Alertmanager semantics; regexes anchored
 * and run in linear time). A regex matcher that no longer compiles (a silence stored before such
 * patterns were refused) matches nothing, whatever its `isEqual`: such a silence silences nothing.
 */
export function silenceMatches(silence: Pick<Silence, 'matchers'>, labels: Readonly<Record<string, string>>): boolean {
  return silence.matchers.every((matcher) => matcherMatches(matcher, labels));
}
