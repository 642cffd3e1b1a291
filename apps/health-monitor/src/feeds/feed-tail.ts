import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay, silentLogger, streamIdMs, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { FeedTracker } from './feed-tracker';

/** A stream the tail reads: its logical name and its key. */
export interface TailedStream {
  name: string;
  key: string;
  /** The event types that count as the feed's events (the stream's types); undefined: any. */
  types?: readonly string[];
}

/** XREAD BLOCK, ms: how long a read waits for new entries before it reads again. */
const BLOCK_MS = 2_000;
/** Entries per stream per XREAD. */
const READ_COUNT = 1_000;
/** Entries read back from the end of each stream when reading (re)starts: enough to know every recent subject's last event. */
const REBUILD_COUNT = 2_000;

/** Options of {@link FeedTail}. */
export interface FeedTailOptions {
  /** A blocking connection of its own, owned: disconnected by `stop()`. */
  redis: RedisConnection;
  /** The streams to read, all in one hash slot in a Cluster (one XREAD reads them all). */
  streams: readonly TailedStream[];
  /** Where what is seen goes. */
  tracker: FeedTracker;
  /** Entries from this CloudEvents `source` are not the feed (the monitor's own `feed_status` and `system_status` on `risk_events`). */
  ownSource: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** Called after each failed read (for a metric). */
  onReadError?: () => void;
}

/** What the tail reads of an entry: three fields, found in one pass, the last of a repeated field winning as in the event library's decoding. */
interface EntryFacts {
  subject?: string;
  type?: string;
  source?: string;
}

/** The `subject`, `type` and `source` of an entry's flat field list, without decoding the rest. */
export function entryFacts(fields: readonly string[]): EntryFacts {
  const facts: EntryFacts = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === 'subject') facts.subject = fields[i + 1];
    else if (name === 'type') facts.type = fields[i + 1];
    else if (name === 'source') facts.source = fields[i + 1];
  }
  return facts;
}

type StreamReply = Array<[key: string, entries: Array<[id: string, fields: string[]]>]>;

/**
 * Follows the watched streams' new entries for the {@link FeedTracker}: one blocking
 * connection, `XREAD COUNT BLOCK` from the last id read, reading only the subject (and the
 * type and source, to skip entries that are not the feed's events) of each entry, never
 * decoding or validating its data. When reading starts, and again after any failure or lost
 * connection, it first reads the tail of each stream (`XREVRANGE + - COUNT`, bounded) so the
 * newest time of every subject there is known at once, and continues after its newest entry
 * (an empty stream: from `0-0`), so nothing added in between is missed. Times are entry ids:
 * the Redis clock.
 */
export class FeedTail {
  private readonly options: FeedTailOptions;
  private readonly logger: Logger;
  private readonly byKey: Map<string, TailedStream>;
  private readonly positions = new Map<string, string>();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private stopping?: Promise<void>;
  private needsRebuild = true;
  private readingNow = false;
  private epochValue = 0;

  constructor(options: FeedTailOptions) {
    if (options.streams.length === 0) throw new RangeError('FeedTail: no stream to read');
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.byKey = new Map(options.streams.map((s) => [s.key, s]));
    // A lost connection may lose entries of the blocked XREAD's reply: read the tail again.
    options.redis.on('close', this.onClose);
  }

  /** True while it reads: the last read succeeded and nothing was lost since. */
  get reading(): boolean {
    return this.readingNow;
  }

  /** Counts the (re)starts of reading: a new value means a gap in observation just ended. */
  get epoch(): number {
    return this.epochValue;
  }

  /** Starts reading in the background. Idempotent. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reading and disconnects its connection at once (a blocked XREAD returns); resolves when the loop has ended. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      this.readingNow = false;
      this.options.redis.off('close', this.onClose);
      if (this.options.redis.status !== 'end') this.options.redis.disconnect();
      await this.loop;
    })();
    return this.stopping;
  }

  private readonly onClose = (): void => {
    this.readingNow = false;
    this.needsRebuild = true;
  };

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (this.needsRebuild) {
          this.needsRebuild = false;
          await this.rebuild();
          if (this.needsRebuild) continue;
          this.readingNow = true;
          this.epochValue++;
        }
        await this.readNew();
        if (!this.needsRebuild) this.readingNow = true;
        failures = 0;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.readingNow = false;
        this.needsRebuild = true;
        this.options.onReadError?.();
        if (failures === 0) this.logger.warn({ err: error, streams: [...this.byKey.keys()] }, 'reading the watched feeds failed; retrying with backoff');
        await delay(backoffDelay(failures++, { baseMs: 100, maxMs: 5_000 }), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private async rebuild(): Promise<void> {
    for (const stream of this.byKey.values()) {
      const entries = (await this.options.redis.xrevrange(stream.key, '+', '-', 'COUNT', REBUILD_COUNT)) as Array<[string, string[]]>;
      // Oldest first, so each subject ends at its newest time.
      for (let i = entries.length - 1; i >= 0; i--) this.take(stream, entries[i][0], entries[i][1]);
      this.positions.set(stream.key, entries[0]?.[0] ?? '0-0');
    }
  }

  private async readNew(): Promise<void> {
    const keys = [...this.byKey.keys()];
    const reply = (await this.options.redis.xread(
      'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS,
      'STREAMS', ...keys, ...keys.map((key) => this.positions.get(key) ?? '$'),
    )) as StreamReply | null;
    for (const [key, entries] of reply ?? []) {
      const stream = this.byKey.get(key);
      if (!stream || entries.length === 0) continue;
      for (const [id, fields] of entries) this.take(stream, id, fields);
      this.positions.set(key, entries[entries.length - 1][0]);
    }
  }

  private take(stream: TailedStream, id: string, fields: readonly string[]): void {
    const atMs = streamIdMs(id);
    if (atMs === null) return;
    const facts = entryFacts(fields);
    if (facts.source === this.options.ownSource) return;
    if (stream.types && (facts.type === undefined || !stream.types.includes(facts.type))) return;
    this.options.tracker.observe(stream.name, facts.subject, atMs);
  }
}
