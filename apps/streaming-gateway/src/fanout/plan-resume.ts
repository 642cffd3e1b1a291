import { compareStreamIds, type NotRecoveredReason } from '@rebal/gateway-client';
import type { StreamPosition } from './stream-position';

/** What a subscribe does for one channel: replay history after `since`, or start at the live edge. */
export type ResumePlan = { readonly replay: true; readonly since: string } | { readonly replay: false; readonly reason: NotRecoveredReason };

/**
 * Decides whether every event after `since` is still in the stream. The platform's streams
 * lose entries only from their head (MAXLEN trimming), so the events after a position are
 * complete while the position itself is still held:
 * - no position: `no_position`;
 * - a position beyond the stream's last id (the stream was recreated, or the id is not
 *   from it): `trimmed`, nothing after it can be trusted;
 * - the position is older than the oldest entry held (or the stream is empty while entries
 *   were added after the position): `trimmed`;
 * - an entry after the position was deleted (`max-deleted-entry-id` > since, where the
 *   server tracks it): `trimmed`;
 * - otherwise replay. The replay cap is checked while reading the history.
 */
export function planResume(since: string | undefined, position: StreamPosition): ResumePlan {
  if (since === undefined) return { replay: false, reason: 'no_position' };
  if (compareStreamIds(since, position.lastId) > 0) return { replay: false, reason: 'trimmed' };
  if (position.maxDeletedId !== undefined && compareStreamIds(position.maxDeletedId, since) > 0) return { replay: false, reason: 'trimmed' };
  const oldest = position.firstId;
  if (oldest === undefined ? compareStreamIds(since, position.lastId) < 0 : compareStreamIds(since, oldest) < 0) {
    return { replay: false, reason: 'trimmed' };
  }
  return { replay: true, since };
}
