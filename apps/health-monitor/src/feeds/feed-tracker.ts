import { isFeedSubject, subjectIntervalMs, type FeedExpectations, type StreamExpectation } from './feed-expectations';
import { feedKey } from './feed-transitions';
import type { FeedVerdict } from './judge-feed';

/** Why a subject seen on a stream is not watched although its stream watches subjects. */
export type RefusedSubjectReason = 'cap' | 'invalid';

/** One watched feed: what the tail has seen of it and how it was last judged. */
export interface FeedRecord {
  readonly stream: string;
  /** Undefined for a whole-stream feed. */
  readonly subject?: string;
  /** `<stream>` or `<stream>:<subject>`. */
  readonly key: string;
  /** Expected interval in ms. */
  readonly intervalMs: number;
  /** Redis ms of the newest event seen; undefined while none was. */
  lastSeenMs?: number;
  /** The last verdict (kept by the watcher); undefined before the first. */
  verdict?: FeedVerdict;
}

/** Options of {@link FeedTracker}. */
export interface FeedTrackerOptions {
  /** What is watched (`HEALTH_FEED_EXPECTATIONS`). */
  expectations: FeedExpectations;
  /** Most subjects learned from events, over all streams (`HEALTH_FEED_MAX_SUBJECTS`); subjects listed by name are not counted. */
  maxSubjects: number;
  /** Called for each event whose subject is not watched for the cap or for being malformed. */
  onRefused?: (stream: string, reason: RefusedSubjectReason) => void;
}

interface StreamFeeds {
  expectation: StreamExpectation;
  whole?: FeedRecord;
  subjects: Map<string, FeedRecord>;
}

/**
 * The newest event time of every watched feed, in memory. Whole-stream feeds and subjects
 * listed by name exist from the start; a subject of a stream that watches subjects (`:*`) is
 * added when first seen, unless it is malformed (not a channel subject: over 256 characters,
 * whitespace, control characters, `*`) or `maxSubjects` learned subjects exist already: both
 * are refused and counted, so a producer writing random or huge subjects cannot grow it
 * without bound. Subjects are never dropped while the process runs (a feed that stopped is
 * exactly what it reports). Per event it does two map lookups and a comparison.
 */
export class FeedTracker {
  private readonly streams = new Map<string, StreamFeeds>();
  private readonly maxSubjects: number;
  private readonly onRefused: (stream: string, reason: RefusedSubjectReason) => void;
  private learned = 0;

  constructor(options: FeedTrackerOptions) {
    if (!Number.isInteger(options.maxSubjects) || options.maxSubjects < 1) throw new RangeError(`FeedTracker: maxSubjects must be a positive integer, got ${options.maxSubjects}`);
    this.maxSubjects = options.maxSubjects;
    this.onRefused = options.onRefused ?? (() => undefined);
    for (const expectation of options.expectations.values()) {
      const { stream } = expectation;
      const feeds: StreamFeeds = { expectation, subjects: new Map() };
      if (expectation.wholeStreamMs !== undefined) feeds.whole = { stream, key: stream, intervalMs: expectation.wholeStreamMs };
      for (const [subject, intervalMs] of expectation.subjects) {
        if (intervalMs !== null) feeds.subjects.set(subject, { stream, subject, key: feedKey(stream, subject), intervalMs });
      }
      this.streams.set(stream, feeds);
    }
  }

  /** The streams with an expectation: the ones to read. */
  get streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /** How many feeds are watched. */
  get size(): number {
    let size = 0;
    for (const feeds of this.streams.values()) size += (feeds.whole ? 1 : 0) + feeds.subjects.size;
    return size;
  }

  /**
   * Records an event of `stream` at `atMs` (its entry id's time), with its subject if it has
   * one. An event older than what was seen changes nothing.
   */
  observe(stream: string, subject: string | undefined, atMs: number): void {
    const feeds = this.streams.get(stream);
    if (!feeds) return;
    if (feeds.whole && !(atMs <= (feeds.whole.lastSeenMs ?? -Infinity))) feeds.whole.lastSeenMs = atMs;
    if (subject === undefined) return;
    const record = feeds.subjects.get(subject) ?? this.learn(feeds, subject);
    if (record && !(atMs <= (record.lastSeenMs ?? -Infinity))) record.lastSeenMs = atMs;
  }

  /**
   * The record of `key` (`<stream>` or `<stream>:<subject>`), added as a learned subject when
   * its stream watches subjects and it is not there yet (within the same limits as
   * {@link observe}); undefined when it is not watched. For feeds known from elsewhere than
   * events, e.g. announced stale before a restart.
   */
  find(key: string): FeedRecord | undefined {
    const colon = key.indexOf(':');
    const feeds = this.streams.get(colon === -1 ? key : key.slice(0, colon));
    if (!feeds) return undefined;
    if (colon === -1) return feeds.whole;
    const subject = key.slice(colon + 1);
    return feeds.subjects.get(subject) ?? this.learn(feeds, subject);
  }

  /** Every watched feed. */
  *records(): IterableIterator<FeedRecord> {
    for (const feeds of this.streams.values()) {
      if (feeds.whole) yield feeds.whole;
      yield* feeds.subjects.values();
    }
  }

  private learn(feeds: StreamFeeds, subject: string): FeedRecord | undefined {
    const intervalMs = subjectIntervalMs(feeds.expectation, subject);
    if (intervalMs === undefined) return undefined;
    if (!isFeedSubject(subject)) {
      this.onRefused(feeds.expectation.stream, 'invalid');
      return undefined;
    }
    if (this.learned >= this.maxSubjects) {
      this.onRefused(feeds.expectation.stream, 'cap');
      return undefined;
    }
    this.learned++;
    const { stream } = feeds.expectation;
    const record: FeedRecord = { stream, subject, key: feedKey(stream, subject), intervalMs };
    feeds.subjects.set(subject, record);
    return record;
  }
}
