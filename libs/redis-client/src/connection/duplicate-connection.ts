import { Cluster } from 'ioredis';
import {
  attachBehaviour,
  clusterBehaviourOptions,
  redisBehaviourOptions,
  resolveBehaviour,
} from './connection-behaviour';
import type { CreateRedisConnectionOptions } from './create-redis-connection-options';
import { commandTimeoutOf, describeConnection, getConnectionMetadata } from './connection-metadata';
import type { RedisConnection } from './redis-connection';

/**
 * A new connection to the same Redis as `conn` (same address, credentials, db, TLS, mode),
 * through ioredis `.duplicate()`: by default a BLOCKING one, for a consumer's XREADGROUP
 * BLOCK or BullMQ, since a blocking command holds its connection. Options not given are
 * taken from `conn` when `createRedisConnection` made it (logger, retry), else their
 * defaults; the name defaults to the original's plus `:blocking` (or `:copy`).
 * `conn` itself is untouched; close the copy on its own.
 */
export function duplicateConnection(conn: RedisConnection, opts: CreateRedisConnectionOptions = {}): RedisConnection {
  const original = getConnectionMetadata(conn);
  const blocking = opts.blocking ?? true;
  const behaviour = resolveBehaviour(
    { logger: original?.logger, retry: original?.retry, ...opts },
    { name: `${original?.name ?? 'duplicate'}:${blocking ? 'blocking' : 'copy'}`, blocking, commandTimeoutMs: commandTimeoutOf(conn) },
  );
  const copy =
    conn instanceof Cluster
      ? conn.duplicate([], clusterBehaviourOptions(behaviour, conn.options.redisOptions))
      : conn.duplicate(redisBehaviourOptions(behaviour));
  return attachBehaviour(copy, behaviour, describeConnection(conn));
}
