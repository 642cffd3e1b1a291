import { compareStreamIds } from '@rebal/gateway-client';
import type { StreamPosition } from './stream-position';

/**
 * Whether a stream that does not hold the entry `id` (no longer, or never did) still holds
 * every entry it ever had after `id`. Streams lose entries from their head (trimming) and, in
 * a failover with asynchronous replication or a restart from an incomplete AOF, from their
 * end, after which a new master whose clock is behind can write entries below ids already
 * seen. So it is provable only when nothing came after `id` yet (an empty stream ending at
 * `id`), or when the stream never lost an entry (`entriesRemoved` 0, Redis ≥ 7.0) and `id`
 * precedes all it holds (e.g. `0-0` on a stream never trimmed).
 */
export function holdsAllAfter(position: StreamPosition, id: string): boolean {
  if (position.firstId === undefined && compareStreamIds(position.lastId, id) === 0) return true;
  return (
    position.entriesRemoved === 0 &&
    compareStreamIds(position.lastId, id) >= 0 &&
    (position.firstId === undefined || compareStreamIds(position.firstId, id) > 0)
  );
}
