import { counter, keySlot, runPeriodicTask, silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import { closeAll } from '@rebal/service-kit';
import type { Counter, Registry } from 'prom-client';
import { LeaseLostError } from '../reaper/lease-lost-error';
import type { FeedAnnouncer } from './feed-announcer';
import { shortestIntervalMs, type FeedExpectations } from './feed-expectations';
import { FeedTail, type TailedStream } from './feed-tail';
import { FeedTracker, type FeedRecord } from './feed-tracker';
import { compareFeeds, type FeedState } from './feed-transitions';
import { judgeFeed, STALE_FACTOR } from './judge-feed';

/** One feed in `GET /api/v1/status` (`feeds`, stale ones first). Times on the Redis clock. */
export interface FeedReport {
  /** `<stream>` or `<stream>:<subject>`: the subject of its `feed_status` events. */
  feed: string;
  /** The stream, without the deployment's prefix. */
  stream: string;
  /** The subject; absent for a whole-stream feed. */
  subject?: string;
  status: 'stale' | 'fresh';
  /** The expected interval in ms; stale once no event came for 1.5 times this. */
  expectedIntervalMs: number;
  /** RFC 3339 time of its newest event; absent when none was seen. */
  lastEventAt?: string;
  /** Seconds since its newest event; absent when none was seen. */
  ageSeconds?: number;
  /** RFC 3339 time this status began. */
  since: string;
}

/** What the lease tells the watcher. */
export interface FeedLease {
  /** Whether this replica holds the housekeeping lease now. */
  readonly held: boolean;
  /** Changes every time the lease is acquired anew. */
  readonly term: number;
}

/** Options of {@link FeedWatcher}. */
export interface FeedWatcherOptions {
  /** What is watched (`HEALTH_FEED_EXPECTATIONS`). */
  expectations: FeedExpectations;
  /** Cap on subjects learned from events (`HEALTH_FEED_MAX_SUBJECTS`). */
  maxSubjects: number;
  /** The watched streams (names and keys, with the stream's event types where the platform defines them). */
  streams: readonly TailedStream[];
  /** Whether Redis is a Cluster: streams in different hash slots are then read by separate tails. */
  cluster: boolean;
  /** A new blocking connection for one tail; the tail owns and closes it. */
  connect: () => RedisConnection;
  /** Now on the Redis clock, Unix ms; undefined while the monitor has not read it yet (nothing is judged then). */
  redisNowMs: () => number | undefined;
  /** Whether the monitor's command connection is up (silence is observed only while it is and every tail reads). */
  redisReady: () => boolean;
  /** Announces transitions (the lease holder only). */
  announcer: FeedAnnouncer;
  /** The housekeeping lease. */
  lease: FeedLease;
  /** CloudEvents `source` of the monitor's own events, which are not any feed's. */
  ownSource: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry of its counters (default: the global registry). */
  registry?: Registry;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Feed freshness: tails the streams that have an expectation (one {@link FeedTail} per hash
 * slot, so one in every deployment but a Cluster with expectations on several streams), and
 * every tenth of the shortest stale threshold (at least every 50 ms, at most every second)
 * judges each feed on the Redis clock ({@link judgeFeed}), logs each change of its verdict,
 * and on the lease holder announces transitions ({@link FeedAnnouncer}). Feeds announced
 * stale before (by any replica, before a restart) are read back first and start stale, so a
 * restart neither repeats nor loses an announcement. While Redis or a tail is not read, no
 * verdict changes; silence counts again from when both are back.
 */
export class FeedWatcher {
  private readonly options: FeedWatcherOptions;
  private readonly logger: Logger;
  private readonly tracker: FeedTracker;
  private readonly tails: FeedTail[] = [];
  private readonly abort = new AbortController();
  private readonly tickMs: number;
  private loop?: Promise<void>;
  private stopping?: Promise<void>;
  private seeded = false;
  private observingSinceMs?: number;
  private epochs = 0;
  private readonly readErrors: Counter;
  private readonly evaluationFailures: Counter;

  constructor(options: FeedWatcherOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    const refused = counter({
      name: 'rebal_feed_subjects_refused_total',
      help: 'Events whose subject is not watched: reason="cap" (HEALTH_FEED_MAX_SUBJECTS subjects are watched already) or "invalid" (not a channel subject: over 256 characters, whitespace, control characters, *)',
      labelNames: ['stream', 'reason'],
      registry: options.registry,
    });
    this.readErrors = counter({ name: 'rebal_feed_read_errors_total', help: 'Failed reads of the watched streams by the feed tail (retried with backoff)', registry: options.registry });
    this.evaluationFailures = counter({ name: 'rebal_feed_evaluation_failures_total', help: 'Feed evaluation passes that failed (Redis failed while reading or announcing; retried)', registry: options.registry });
    const keys = new Map(options.streams.map((s) => [s.name, s.key]));
    this.tracker = new FeedTracker({
      expectations: options.expectations,
      maxSubjects: options.maxSubjects,
      onRefused: (stream, reason) => refused.inc({ stream: keys.get(stream) ?? stream, reason }),
    });
    const shortest = shortestIntervalMs(options.expectations);
    this.tickMs = shortest === undefined ? 1_000 : Math.min(1_000, Math.max(50, Math.floor((shortest * STALE_FACTOR) / 10)));
  }

  /** Whether any feed is watched at all. */
  get watching(): boolean {
    return this.tracker.streamNames.length > 0;
  }

  /** The streams that have an expectation. */
  get streamNames(): string[] {
    return this.tracker.streamNames;
  }

  /** How often feeds are judged, in ms. */
  get intervalMs(): number {
    return this.tickMs;
  }

  /** Starts the tails and the evaluation loop. Does nothing when no feed is watched. Idempotent. */
  start(): void {
    if (this.loop || !this.watching) return;
    const watched = new Set(this.tracker.streamNames);
    const groups = new Map<number, TailedStream[]>();
    for (const stream of this.options.streams.filter((s) => watched.has(s.name))) {
      const slot = this.options.cluster ? keySlot(stream.key) : 0;
      groups.set(slot, [...(groups.get(slot) ?? []), stream]);
    }
    for (const streams of groups.values()) {
      this.tails.push(new FeedTail({
        redis: this.options.connect(),
        streams,
        tracker: this.tracker,
        ownSource: this.options.ownSource,
        logger: this.logger,
        onReadError: () => this.readErrors.inc(),
      }));
    }
    for (const tail of this.tails) tail.start();
    this.loop = runPeriodicTask({
      name: 'feed freshness',
      intervalMs: this.tickMs,
      backoff: { maxMs: 5_000 },
      signal: this.abort.signal,
      logger: this.logger,
      task: () => this.pass(),
      onFailure: () => this.evaluationFailures.inc(),
    });
  }

  /** Stops the evaluation loop and every tail (their connections are closed). Idempotent; runs every step even when one fails. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      const failures = await closeAll([['feed evaluation', () => this.loop], ...this.tails.map((tail, i): [string, () => Promise<void>] => [`feed tail ${i}`, () => tail.stop()])], this.logger);
      if (failures.length > 0) throw new AggregateError(failures.map((f) => f.error), 'stopping the feed watcher failed');
    })();
    return this.stopping;
  }

  /** Every watched feed as last judged (feeds not judged yet are left out), stale first. */
  states(): FeedState[] {
    const states: FeedState[] = [];
    for (const record of this.tracker.records()) {
      if (!record.verdict) continue;
      states.push({
        key: record.key,
        stream: record.stream,
        ...(record.subject !== undefined && { subject: record.subject }),
        intervalMs: record.intervalMs,
        status: record.verdict.status,
        sinceMs: record.verdict.sinceMs,
        ...(record.lastSeenMs !== undefined && { lastSeenMs: record.lastSeenMs }),
      });
    }
    return states.sort(compareFeeds);
  }

  /** The feeds for `GET /api/v1/status`, stale first. */
  report(): FeedReport[] {
    const nowMs = this.options.redisNowMs();
    return this.states().map((state) => ({
      feed: state.key,
      stream: state.stream,
      ...(state.subject !== undefined && { subject: state.subject }),
      status: state.status,
      expectedIntervalMs: state.intervalMs,
      ...(state.lastSeenMs !== undefined && { lastEventAt: iso(state.lastSeenMs) }),
      ...(state.lastSeenMs !== undefined && nowMs !== undefined && { ageSeconds: Math.max(0, nowMs - state.lastSeenMs) / 1000 }),
      since: iso(state.sinceMs),
    }));
  }

  /** Every watched feed with its newest event time (for `rebal_feed_age_seconds`). */
  records(): Iterable<Readonly<FeedRecord>> {
    return this.tracker.records();
  }

  /** Whether every tail reads and Redis answers: silence is observed. */
  get observing(): boolean {
    return this.options.redisReady() && this.tails.length > 0 && this.tails.every((tail) => tail.reading);
  }

  private async pass(): Promise<void> {
    const nowMs = this.options.redisNowMs();
    if (nowMs === undefined) return;
    if (!this.seeded) await this.seed();
    const epochs = this.tails.reduce((sum, tail) => sum + tail.epoch, 0);
    if (!this.observing) {
      this.observingSinceMs = undefined;
      return;
    }
    // A tail that started reading again missed what happened meanwhile: silence counts from now.
    if (this.observingSinceMs === undefined || epochs !== this.epochs) this.observingSinceMs = nowMs;
    this.epochs = epochs;
    for (const record of this.tracker.records()) this.judge(record, nowMs, this.observingSinceMs);
    const lease = this.options.lease;
    if (!lease.held) return;
    try {
      await this.options.announcer.announce(this.states(), lease.term);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      this.logger.warn({ key: error.key }, 'lost the housekeeping lease while announcing feed transitions; stopped');
    }
  }

  /** Feeds announced stale before start-up start stale (and are watched, if their stream still watches them). */
  private async seed(): Promise<void> {
    const announced = await this.options.announcer.load();
    for (const [key, stale] of announced) {
      const record = this.tracker.find(key);
      if (!record) continue;
      record.verdict = { status: 'stale', sinceMs: stale.sinceMs, ...(stale.lastSeenMs !== undefined && { lastSeenMs: stale.lastSeenMs }) };
      if (stale.lastSeenMs !== undefined && !(stale.lastSeenMs <= (record.lastSeenMs ?? -Infinity))) record.lastSeenMs = stale.lastSeenMs;
    }
    this.seeded = true;
  }

  private judge(record: FeedRecord, nowMs: number, observingSinceMs: number): void {
    const previous = record.verdict;
    const verdict = judgeFeed({ ...(previous && { previous }), ...(record.lastSeenMs !== undefined && { lastSeenMs: record.lastSeenMs }), observingSinceMs, intervalMs: record.intervalMs, nowMs });
    record.verdict = verdict;
    if (verdict.status === (previous?.status ?? 'fresh')) return;
    const expected = `expected every ${record.intervalMs / 1000} s`;
    if (verdict.status === 'stale') {
      const silentFor = record.lastSeenMs === undefined ? 'never seen' : `no event for ${((nowMs - record.lastSeenMs) / 1000).toFixed(1)} s`;
      this.logger.warn({ feed: record.key, lastEventAt: record.lastSeenMs === undefined ? null : iso(record.lastSeenMs), expectedIntervalMs: record.intervalMs }, `feed ${record.key} stale: ${silentFor} (${expected})`);
    } else {
      const staleFor = previous ? ` after ${((verdict.sinceMs - previous.sinceMs) / 1000).toFixed(1)} s stale` : '';
      this.logger.info({ feed: record.key, expectedIntervalMs: record.intervalMs }, `feed ${record.key} fresh again${staleFor}`);
    }
  }
}
