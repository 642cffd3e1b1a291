import { counter, createEvent, silentLogger, streamKey, type FeedStatusData, type Logger, type RedisConnection, type StreamPublisher } from '@rebal/redis-client';
import type { Counter, Registry } from 'prom-client';
import type { LeaseCheck } from '../reaper/lease-lost-error';
import { findFeedTransitions, type AnnouncedStale, type FeedState } from './feed-transitions';

/** Options of {@link FeedAnnouncer}. */
export interface FeedAnnouncerOptions {
  /** Command connection for the announced-feeds hash (not owned). */
  redis: RedisConnection;
  /** Publishes the `feed_status` events on `risk_events` (its prefix applies). */
  publisher: StreamPublisher;
  /** Hash of the feeds announced stale, shared by the replicas, e.g. `<prefix>health-monitor:stale-feeds`. */
  key: string;
  /** The housekeeping lease: checked before every write. */
  lease: LeaseCheck;
  /** CloudEvents `source` (the monitor's; the feed tail skips its entries). */
  source: string;
  /** The deployment's stream prefix, for the `stream` label (a key, as every `stream` label is). */
  prefix: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry for `rebal_feed_transitions_total` (default: the global registry). */
  registry?: Registry;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The `feed_status` payload of a feed's state. */
export function feedStatusData(feed: FeedState): FeedStatusData {
  return {
    stream: feed.stream,
    ...(feed.subject !== undefined && { subject: feed.subject }),
    status: feed.status,
    ...(feed.lastSeenMs !== undefined && { lastEventAt: iso(feed.lastSeenMs) }),
    expectedIntervalMs: feed.intervalMs,
    since: iso(feed.sinceMs),
  };
}

/**
 * Announces feed transitions as `feed_status` events on `risk_events` (subject `<stream>` or
 * `<stream>:<subject>`): stale once, fresh once when it recovers, never once per evaluation.
 * Only the lease holder calls it, with the same guards as the `StatusAnnouncer`: the lease is
 * checked before every write, and what was announced lives in a Redis hash (only the stale
 * feeds: its size is the number of stale feeds), read afresh before anything is announced, so
 * a new lease holder or a restarted monitor neither repeats nor misses a transition. Each
 * change is published first and recorded second: a crash in between repeats an event, it
 * never loses one. Redis work grows with transitions: when nothing changed since the hash was
 * last read under the same lease term, a call sends no command.
 */
export class FeedAnnouncer {
  private readonly options: FeedAnnouncerOptions;
  private readonly logger: Logger;
  private readonly transitions: Counter<'stream' | 'status'>;
  /** The hash as last read or written, and the lease term it was read in. */
  private known?: { term: number; announced: Map<string, AnnouncedStale> };

  constructor(options: FeedAnnouncerOptions) {
    if (!options.redis || !options.publisher || !options.key || !options.lease) throw new TypeError('FeedAnnouncer: redis, publisher, key and lease are required');
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.transitions = counter({
      name: 'rebal_feed_transitions_total',
      help: 'Feed transitions announced as feed_status events, by stream and new status (stale, fresh).',
      labelNames: ['stream', 'status'],
      registry: options.registry,
    });
  }

  /**
   * Publishes a `feed_status` event for every feed whose status differs from the one announced,
   * and records it; forgets announced feeds that are no longer watched (`current` lacks them)
   * without an event. `term` identifies the lease holding (a new term: the hash is read again).
   * Resolves with the transitions announced; rejects when Redis fails, or with
   * `LeaseLostError` once the lease is no longer held safely.
   */
  async announce(current: readonly FeedState[], term: number): Promise<FeedState[]> {
    if (this.known?.term !== term) this.known = { term, announced: await this.load() };
    const watched = new Set(current.map((feed) => feed.key));
    const vanished = (announced: Map<string, AnnouncedStale>) => [...announced.keys()].filter((key) => !watched.has(key));
    if (findFeedTransitions(this.known.announced, current).length === 0 && vanished(this.known.announced).length === 0) return [];
    // Something to do: act on what Redis holds now, not on the copy (another replica may have held the lease meanwhile).
    const announced = await this.load();
    this.known = { term, announced };
    const changes = findFeedTransitions(announced, current);
    for (const feed of changes) {
      this.options.lease.assertHeld();
      await this.options.publisher.publish('risk_events', createEvent({ type: 'feed_status', source: this.options.source, subject: feed.key, data: feedStatusData(feed) }));
      if (feed.status === 'stale') {
        const record: AnnouncedStale = { sinceMs: feed.sinceMs, ...(feed.lastSeenMs !== undefined && { lastSeenMs: feed.lastSeenMs }) };
        await this.options.redis.hset(this.options.key, feed.key, JSON.stringify(record));
        announced.set(feed.key, record);
      } else {
        await this.options.redis.hdel(this.options.key, feed.key);
        announced.delete(feed.key);
      }
      this.transitions.inc({ stream: streamKey(feed.stream, this.options.prefix), status: feed.status });
      this.logger.info({ feed: feed.key, status: feed.status, since: iso(feed.sinceMs) }, `announced feed ${feed.key} ${feed.status}`);
    }
    const gone = vanished(announced);
    if (gone.length > 0) {
      this.options.lease.assertHeld();
      await this.options.redis.hdel(this.options.key, ...gone);
      for (const key of gone) announced.delete(key);
    }
    return changes;
  }

  /** The feeds announced stale, as the hash holds them (malformed values are read as stale since the epoch). */
  async load(): Promise<Map<string, AnnouncedStale>> {
    const stored = await this.options.redis.hgetall(this.options.key);
    return new Map(Object.entries(stored).map(([key, value]) => [key, parseAnnounced(value)]));
  }
}

function parseAnnounced(value: string): AnnouncedStale {
  try {
    const parsed = JSON.parse(value) as Partial<AnnouncedStale>;
    const sinceMs = typeof parsed.sinceMs === 'number' ? parsed.sinceMs : 0;
    return typeof parsed.lastSeenMs === 'number' ? { sinceMs, lastSeenMs: parsed.lastSeenMs } : { sinceMs };
  } catch {
    return { sinceMs: 0 };
  }
}
