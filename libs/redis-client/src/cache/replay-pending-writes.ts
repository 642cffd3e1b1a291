import type { RedisConnection } from '../connection/redis-connection';
import type { PendingWrite, PendingWrites } from './pending-writes';
import { withTimeout } from './with-timeout';

/** Writes replayed concurrently (ioredis pipelines them on the connection). */
const BATCH_SIZE = 100;

/**
 * Replays outage writes to Redis, oldest first, in batches: a `set` becomes
 * `SET key json PX <remaining TTL>`, or `DEL key` when it expired meanwhile (the last
 * write, gone, leaves no value); a `del` becomes `DEL key`. One command per key, so every
 * command stays in one Cluster slot. Each landed write is settled in `pending`; a failing
 * batch rejects and leaves the rest pending for the next try. Resolves with the number
 * of writes replayed.
 */
export async function replayPendingWrites(
  redis: RedisConnection,
  pending: PendingWrites,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<number> {
  const writes = pending.list();
  for (let start = 0; start < writes.length; start += BATCH_SIZE) {
    const batch = writes.slice(start, start + BATCH_SIZE);
    await withTimeout(Promise.all(batch.map((write) => replayOne(redis, write, now()))), timeoutMs, 'replay of outage writes');
    for (const write of batch) pending.settle(write);
  }
  return writes.length;
}

function replayOne(redis: RedisConnection, write: PendingWrite, now: number): Promise<unknown> {
  if (write.op === 'del') return redis.del(write.key);
  const remainingMs = write.expiresAt - now;
  return remainingMs > 0 ? redis.set(write.key, write.json, 'PX', remainingMs) : redis.del(write.key);
}
