import { setTimeout as delay } from 'node:timers/promises';
import { createRedisConnection, duplicateConnection, type Logger, type RedisConfig, type RedisConnection } from '@rebal/redis-client';

/** The Redis connections of one alert service process. */
export interface ServiceConnections {
  /** Command connection (fails fast while Redis is away): store, API, XACK, claims, publishing. */
  readonly command: RedisConnection;
  /** One blocking connection per consumed stream, for its XREADGROUP BLOCK. */
  readonly readers: ReadonlyMap<string, RedisConnection>;
  /** Blocking connection for BullMQ (queues; each worker duplicates it). */
  readonly bullmq: RedisConnection;
  /** Quits every connection (disconnects those that do not answer within 1 s); never throws. */
  close(): Promise<void>;
}

/**
 * Opens the connections of a service: a command connection, a blocking duplicate of it per
 * stream in `streams`, and a blocking one for BullMQ, all named `<name>:<role>` in CLIENT LIST.
 */
export function openServiceConnections(redis: RedisConfig, name: string, streams: readonly string[], logger: Logger): ServiceConnections {
  const command = createRedisConnection(redis.main, { name, logger });
  const readers = new Map(streams.map((stream) => [stream, duplicateConnection(command, { name: `${name}:read:${stream}`, blocking: true })]));
  const bullmq = createRedisConnection(redis.main, { name: `${name}:bullmq`, blocking: true, logger });
  return {
    command,
    readers,
    bullmq,
    async close() {
      await Promise.all([command, ...readers.values(), bullmq].map(quit));
    },
  };
}

async function quit(connection: RedisConnection): Promise<void> {
  // A second disconnect() of an ended connection arms a timer nothing clears.
  if (connection.status === 'end') return;
  try {
    await Promise.race([connection.quit(), delay(1_000).then(() => Promise.reject(new Error('QUIT timed out')))]);
  } catch {
    // QUIT may have ended it meanwhile; TypeScript narrowed the status before the await.
    if ((connection.status as string) !== 'end') connection.disconnect();
  }
}
