import { Cluster } from 'ioredis';
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
