import { decodeEntry, STREAMS, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import type { ChannelStream } from '../channels';
import { compareStreamIds } from '@rebal/gateway-client';
import { holdsAllAfter } from './holds-all-after';
import { readStreamPosition } from './stream-position';

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
  /** XRANGE COUNT per round trip (default 1 000; at least 2, as each page repeats its cursor). */
  readonly pageSize?: number;
}

/** One event read from history. */
export interface ReplayedEvent {
  /** Stream entry id. */
  readonly id: string;
  /** The decoded, validated event, of a type its stream carries. */
  readonly event: CloudEvent;
}

/**
 * Outcome of {@link readReplay}: every event of (since, end] (`recovered`); `replay_cap` when
 * more than `cap` matched; `trimmed` when the stream may have lost entries after `since`
 * before they were read.
 */
export type ReplayResult =
  | { readonly outcome: 'recovered'; readonly events: ReplayedEvent[] }
  | { readonly outcome: 'replay_cap' }
  | { readonly outcome: 'trimmed' };

/**
 * Reads the history of one channel: XRANGE (since, end] in pages, keeping the entries that
 * decode and validate, whose type the stream carries (invalid entries, and events of another
 * stream's types a foreign producer put there, are never forwarded, live or replayed) and,
 * for a subject channel, whose DECODED `subject` is the channel's: live delivery routes by
 * the decoded event too, so an entry carrying `subject` twice reaches the same channel both
 * ways. Stops as soon as more than `cap` events matched.
 *
 * The verdict rests on what was read, not on a position read earlier: streams lose entries
 * only from their head, so while an entry is still there every entry after it is too. Each
 * page is read from its cursor INCLUSIVE (`since` for the first) and must start with it. When
 * it does not (the cursor was trimmed meanwhile, or `since` is not an entry id at all), one
 * more `XINFO STREAM` after the reads decides: the replay is complete only if the stream did
 * not go back before `end` and provably still holds everything after `since`
 * (`holdsAllAfter`); otherwise `trimmed`.
 */
export async function readReplay(redis: RedisConnection, options: ReadReplayOptions): Promise<ReplayResult> {
  const pageSize = Math.max(2, options.pageSize ?? 1_000);
  const types = STREAMS[options.stream].types;
  const events: ReplayedEvent[] = [];
  let anchored = true;
  let cursor = options.since;
  while (compareStreamIds(cursor, options.end) < 0) {
    const page = (await redis.xrange(options.key, cursor, options.end, 'COUNT', pageSize)) as Array<[string, string[]]>;
    const first = page.length > 0 && page[0][0] === cursor ? 1 : 0;
    if (first === 0) anchored = false;
    for (let index = first; index < page.length; index++) {
      const [id, fields] = page[index];
      if (options.subject !== undefined && !hasSubject(fields, options.subject)) continue;
      const decoded = decodeEntry(fields, { types });
      // Live delivery routes by the decoded event's subject: so does the replay.
      if (!decoded.ok || (options.subject !== undefined && decoded.event.subject !== options.subject)) continue;
      events.push({ id, event: decoded.event });
      if (events.length > options.cap) return { outcome: 'replay_cap' };
    }
    if (page.length < pageSize) break;
    cursor = page[page.length - 1][0];
  }
  if (!anchored) {
    const now = await readStreamPosition(redis, options.key);
    if (compareStreamIds(now.lastId, options.end) < 0 || !holdsAllAfter(now, options.since)) return { outcome: 'trimmed' };
  }
  return { outcome: 'recovered', events };
}

// Cheaper than decoding (and validating) an entry that belongs to another subject. An entry
// may carry `subject` more than once: any of them may be the one decoding keeps.
function hasSubject(fields: readonly string[], subject: string): boolean {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'subject' && fields[i + 1] === subject) return true;
  return false;
}
