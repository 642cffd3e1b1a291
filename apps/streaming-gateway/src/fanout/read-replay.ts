import { decodeEntry, STREAMS, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import type { ChannelStream } from '../channels';
import { compareStreamIds } from '@rebal/gateway-client';

/** Options of {@link readReplay}. */
export interface ReadReplayOptions {
  /** The logical stream: only events of its types (`STREAMS[stream].types`) are replayed. */
  readonly stream: ChannelStream;
  /** The stream key (prefix included). */
  readonly key: string;
  /** Exclusive start: the last id the client has. */
  readonly since: string;
  /** Inclusive end: the stream's last id read when the subscription was registered. */
  readonly end: string;
  /** Only events with this CloudEvents `subject` (a subject channel); every event when absent. */
  readonly subject?: string;
  /** Most events returned; one more means the cap is exceeded. */
  readonly cap: number;
  /** XRANGE COUNT per round trip (default 1 000). */
  readonly pageSize?: number;
}

/** One event read from history. */
export interface ReplayedEvent {
  /** Stream entry id. */
  readonly id: string;
  /** The decoded, validated event, of a type its stream carries. */
  readonly event: CloudEvent;
}

/** Outcome of {@link readReplay}: the events of (since, end], or `capped` when more than `cap` matched. */
export type ReplayResult = { readonly capped: false; readonly events: ReplayedEvent[] } | { readonly capped: true };

/**
 * Reads the history of one channel: XRANGE (since, end] in pages, keeping the entries of
 * `subject` (when given) that decode and validate and whose type the stream carries (invalid
 * entries, and events of another stream's types a foreign producer put there, are never
 * forwarded, live or replayed). Stops as soon as more than `cap` events matched.
 */
export async function readReplay(redis: RedisConnection, options: ReadReplayOptions): Promise<ReplayResult> {
  const pageSize = options.pageSize ?? 1_000;
  const types = STREAMS[options.stream].types;
  const events: ReplayedEvent[] = [];
  let cursor = options.since;
  while (compareStreamIds(cursor, options.end) < 0) {
    const page = (await redis.xrange(options.key, `(${cursor}`, options.end, 'COUNT', pageSize)) as Array<[string, string[]]>;
    for (const [id, fields] of page) {
      if (options.subject !== undefined && subjectOf(fields) !== options.subject) continue;
      const decoded = decodeEntry(fields, { types });
      if (!decoded.ok) continue;
      events.push({ id, event: decoded.event });
      if (events.length > options.cap) return { capped: true };
    }
    if (page.length < pageSize) break;
    cursor = page[page.length - 1][0];
  }
  return { capped: false, events };
}

// Cheaper than decoding (and validating) an entry that belongs to another subject.
function subjectOf(fields: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'subject') return fields[i + 1];
  return undefined;
}
