import { Cluster } from 'ioredis';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../config/redis-config-variables';
import type { Logger } from '../logging';
import type { ReconnectBackoffOptions } from './reconnect-backoff';
import type { RedisConnection } from './redis-connection';

/** What `createRedisConnection` remembers about a connection it made (internal). */
export interface ConnectionMetadata {
  /** Role name given at creation, e.g. `main` or `consumer`. */
  name: string;
  /** Address with the password replaced by `***`. */
  displayUrl: string;
  /** Whether it waits through outages (blocking) or fails fast (command). */
  blocking: boolean;
  /** Logger given at creation. */
  logger: Logger;
  /** Backoff given at creation. */
  retry: Required<ReconnectBackoffOptions>;
  /** Reply deadline of its Redis in ms (`REDIS_COMMAND_TIMEOUT`); ioredis applies it on command connections only. */
  commandTimeoutMs: number;
}

const metadata = new WeakMap<RedisConnection, ConnectionMetadata>();

/** Records what a connection is, for logs, errors and `duplicateConnection`. */
export function setConnectionMetadata(conn: RedisConnection, value: ConnectionMetadata): void {
  metadata.set(conn, value);
}

/** What `createRedisConnection` recorded, or undefined for a connection made elsewhere. */
export function getConnectionMetadata(conn: RedisConnection): ConnectionMetadata | undefined {
  return metadata.get(conn);
}

/**
 * How long a command to `conn`'s Redis may go unanswered before it counts as hung: the
 * `REDIS_COMMAND_TIMEOUT` it was created with, also for a blocking connection (whose reads
 * wait their BLOCK time plus this), else the default.
 */
export function commandTimeoutOf(conn: RedisConnection): number {
  return metadata.get(conn)?.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
}

/**
 * A connection's address, safe for logs and errors: its `displayUrl` when this library made
 * it, otherwise host, port and db from its ioredis options (which never include the password).
 */
export function describeConnection(conn: RedisConnection): string {
  const known = metadata.get(conn);
  if (known) return known.displayUrl;
  if (conn instanceof Cluster) return 'redis cluster';
  const { host, port, db, sentinels, name } = conn.options;
  if (sentinels?.length) return `sentinel master ${name ?? '?'}`;
  return `redis://${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}
