import { formatDurationMs, parseDurationMs } from '@rebal/redis-client';

/** `HEALTH_FEED_EXPECTATIONS` when unset: every symbol of `market_data`, once seen, at least every 5 s. */
export const DEFAULT_FEED_EXPECTATIONS = 'market_data:*=5s';

/** Shortest expected interval: the evaluation runs at a tenth of the shortest threshold, at least every 50 ms. */
const MIN_INTERVAL_MS = 100;
/** Longest expected interval (a week): a feed quieter than that is not a feed. */
const MAX_INTERVAL_MS = 7 * 86_400_000;
/** A subject as channel names allow it (docs/protocol.md): 1 to 256 characters, no whitespace, no control character, no `*`. */
const SUBJECT = /^[^\s*\p{Cc}]{1,256}$/u;
/** A stream name as `HEALTH_EXTRA_STREAMS` allows it, without `:` (the stream of a feed ends at its first `:`). */
const STREAM = /^[A-Za-z0-9_.{}-]{1,200}$/;

/** What the monitor expects of one stream (one stream's part of `HEALTH_FEED_EXPECTATIONS`). */
export interface StreamExpectation {
  /** The stream's name, without the deployment's prefix. */
  stream: string;
  /** `<stream>=<interval>`: an event of any subject at least this often, in ms. */
  wholeStreamMs?: number;
  /** `<stream>:*=<interval>`: each subject, once seen, at least this often, in ms. */
  perSubjectMs?: number;
  /**
   * `<stream>:<subject>=<interval>` (watched from the start, seen or not) or `=off` (`null`:
   * never watched, whatever `perSubjectMs` says).
   */
  subjects: ReadonlyMap<string, number | null>;
}

/** Every stream's expectation, by stream name; streams without one are not watched. */
export type FeedExpectations = ReadonlyMap<string, StreamExpectation>;

/** True when `subject` is one a feed may have (as in channel names: 1 to 256 characters, no whitespace, control character or `*`). */
export function isFeedSubject(subject: string): boolean {
  return subject.length <= 256 && SUBJECT.test(subject);
}

/** The interval expected of `subject` on its stream, in ms; undefined when that subject is not watched. */
export function subjectIntervalMs(expectation: StreamExpectation, subject: string): number | undefined {
  const listed = expectation.subjects.get(subject);
  if (listed !== undefined) return listed ?? undefined;
  return expectation.perSubjectMs;
}

/** The shortest interval of all expectations, in ms (undefined when nothing is watched). */
export function shortestIntervalMs(expectations: FeedExpectations): number | undefined {
  let shortest: number | undefined;
  for (const e of expectations.values()) {
    for (const ms of [e.wholeStreamMs, e.perSubjectMs, ...e.subjects.values()]) {
      if (ms != null && (shortest === undefined || ms < shortest)) shortest = ms;
    }
  }
  return shortest;
}

const SYNTAX = '`<stream>=<interval>`, `<stream>:*=<interval>` or `<stream>:<subject>=<interval or off>`';

/**
 * Parses `HEALTH_FEED_EXPECTATIONS`: comma-separated entries, each
 * - `<stream>=<interval>`: the whole stream, an event of any subject at least this often;
 * - `<stream>:*=<interval>`: each subject of the stream, once seen, at least this often;
 * - `<stream>:<subject>=<interval>`: that subject, watched from the start even if never seen
 *   (overrides `:*`), or `=off` to never watch it;
 * or `none` for no expectation at all. The stream is everything before the first `:`, as in
 * channel names; intervals are durations (`500ms`, `5s`, `2m`). Pure.
 *
 * @param streams the stream names the monitor watches (the platform's and `HEALTH_EXTRA_STREAMS`)
 * @throws Error naming the entry and what is wrong with it
 */
export function parseFeedExpectations(text: string, streams: readonly string[]): FeedExpectations {
  const result = new Map<string, { stream: string; wholeStreamMs?: number; perSubjectMs?: number; subjects: Map<string, number | null> }>();
  if (text.trim().toLowerCase() === 'none') return result;
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error(`no entry: write ${SYNTAX}, comma-separated, or none`);
  for (const entry of entries) {
    const shown = entry.length > 80 ? `${entry.slice(0, 80)}...` : entry;
    const equals = entry.lastIndexOf('=');
    if (equals <= 0) throw new Error(`entry "${shown}" is not ${SYNTAX}`);
    const feed = entry.slice(0, equals).trim();
    const value = entry.slice(equals + 1).trim();
    const colon = feed.indexOf(':');
    const stream = colon === -1 ? feed : feed.slice(0, colon);
    const subject = colon === -1 ? undefined : feed.slice(colon + 1);
    if (!STREAM.test(stream)) throw new Error(`entry "${shown}": "${stream.slice(0, 80)}" is not a stream name`);
    if (!streams.includes(stream)) throw new Error(`entry "${shown}": stream ${stream} is not watched (the platform's streams and HEALTH_EXTRA_STREAMS: ${streams.join(', ')})`);
    if (subject !== undefined && subject !== '*' && !isFeedSubject(subject)) {
      throw new Error(`entry "${shown}": the subject must be 1 to 256 characters without whitespace, control characters or "*" (or "*" alone for every subject)`);
    }
    let intervalMs: number | null;
    if (value.toLowerCase() === 'off') {
      if (subject === undefined || subject === '*') throw new Error(`entry "${shown}": only a named subject can be off (leave the others out)`);
      intervalMs = null;
    } else {
      const ms = parseDurationMs(value);
      if (ms === undefined) throw new Error(`entry "${shown}": "${value.slice(0, 40)}" is not a duration such as 500ms, 5s or 2m`);
      if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
        throw new Error(`entry "${shown}": the interval must be between ${formatDurationMs(MIN_INTERVAL_MS)} and ${formatDurationMs(MAX_INTERVAL_MS)}`);
      }
      intervalMs = ms;
    }
    let expectation = result.get(stream);
    if (!expectation) {
      expectation = { stream, subjects: new Map() };
      result.set(stream, expectation);
    }
    const twice = (): Error => new Error(`${feed} is given twice`);
    if (subject === undefined) {
      if (expectation.wholeStreamMs !== undefined) throw twice();
      expectation.wholeStreamMs = intervalMs as number;
    } else if (subject === '*') {
      if (expectation.perSubjectMs !== undefined) throw twice();
      expectation.perSubjectMs = intervalMs as number;
    } else {
      if (expectation.subjects.has(subject)) throw twice();
      expectation.subjects.set(subject, intervalMs);
    }
  }
  return result;
}
