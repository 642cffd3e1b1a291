import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { silentLogger, type Logger } from '../logging';
import { setConnectionMetadata } from './connection-metadata';
import { InvalidConnectionOptionError } from './invalid-connection-option-error';
import type { CreateRedisConnectionOptions } from './create-redis-connection-options';
import { DEFAULT_RECONNECT_BACKOFF, reconnectDelay, type ReconnectBackoffOptions } from './reconnect-backoff';
import type { RedisConnection } from './redis-connection';
import { scrubRedisError } from './scrub-redis-error';

/** {@link CreateRedisConnectionOptions} with defaults merged and checked (internal). */
export interface ResolvedBehaviour {
  name: string;
  connectionName: string;
  blocking: boolean;
  logger: Logger;
  lazyConnect: boolean;
  retry: Required<ReconnectBackoffOptions>;
  /** Reply deadline of the connection's Redis: applied to command connections, remembered for blocking ones. */
  commandTimeoutMs: number;
}

/** Merges the defaults once and checks the options (internal). */
export function resolveBehaviour(
  options: CreateRedisConnectionOptions,
  defaults: { name: string; blocking: boolean; commandTimeoutMs: number },
): ResolvedBehaviour {
  const name = (options.name ?? defaults.name).replace(/[^A-Za-z0-9:_.-]/g, '_');
  if (!name) throw new InvalidConnectionOptionError('name must not be empty');
  const retry = { ...DEFAULT_RECONNECT_BACKOFF, ...options.retry };
  if (!(retry.baseMs > 0) || !(retry.maxMs >= retry.baseMs)) {
    throw new InvalidConnectionOptionError(`retry needs 0 < baseMs <= maxMs, got baseMs=${retry.baseMs}, maxMs=${retry.maxMs}`);
  }
  return {
    name,
    connectionName: `rebal:${name}`,
    blocking: options.blocking ?? defaults.blocking,
    logger: options.logger ?? silentLogger(),
    lazyConnect: options.lazyConnect ?? false,
    retry,
    commandTimeoutMs: defaults.commandTimeoutMs,
  };
}

/** The ioredis `commandTimeout` of a connection: its deadline for a command connection, none for a blocking one. */
function commandTimeoutOf(behaviour: ResolvedBehaviour): number | undefined {
  return behaviour.blocking ? undefined : behaviour.commandTimeoutMs;
}

/**
 * The ioredis `socketTimeout` of a command connection: a socket that receives nothing for
 * three command timeouts while commands wait (the state probe's PINGs always do) is
 * destroyed and replaced, so a link to a vanished host (a failover that left it open, a
 * black hole) does not wait for the kernel to give up on it. None for a blocking one.
 */
function socketTimeoutOf(behaviour: ResolvedBehaviour): number | undefined {
  return behaviour.blocking ? undefined : 3 * behaviour.commandTimeoutMs;
}

/** The ioredis options that make a single-server (or Sentinel) connection behave as asked (internal). */
export function redisBehaviourOptions(behaviour: ResolvedBehaviour): RedisOptions {
  const retryStrategy = (attempt: number) => reconnectDelay(attempt, behaviour.retry);
  return {
    connectionName: behaviour.connectionName,
    lazyConnect: behaviour.lazyConnect,
    // Blocking: wait through any outage. Command: a command in flight when the connection
    // drops is resent once on an immediate reconnect, else fails after the first failed retry.
    maxRetriesPerRequest: behaviour.blocking ? null : 1,
    // A Redis that hangs (paused, black-holed, a failover leaving sockets open) never closes
    // the socket: only a deadline ends the wait. Blocking connections wait out their BLOCK, so
    // their readers bound each read themselves; the key is set either way so a duplicate never
    // inherits the original's.
    commandTimeout: commandTimeoutOf(behaviour),
    socketTimeout: socketTimeoutOf(behaviour),
    // On while the first connection attempt runs; command connections turn it off right
    // after (see attachBehaviour), so later commands fail at once while Redis is away.
    enableOfflineQueue: true,
    retryStrategy,
    sentinelRetryStrategy: retryStrategy,
  };
}

/** The ioredis Cluster options that make a Cluster connection behave as asked (internal). */
export function clusterBehaviourOptions(behaviour: ResolvedBehaviour, nodeOptions: ClusterOptions['redisOptions']): ClusterOptions {
  return {
    lazyConnect: behaviour.lazyConnect,
    enableOfflineQueue: true,
    clusterRetryStrategy: (attempt: number) => reconnectDelay(attempt, behaviour.retry),
    // A Cluster answers CLUSTERDOWN / TRYAGAIN for a few seconds after a restart or failover,
    // and ioredis retries those only `maxRedirections` times (16 × 100 ms by default). A
    // blocking connection must wait that out (about 30 s); a command connection keeps the
    // defaults and fails within ~2 s.
    ...(behaviour.blocking ? { maxRedirections: 100, retryDelayOnClusterDown: 300 } : {}),
    redisOptions: {
      ...nodeOptions,
      connectionName: behaviour.connectionName,
      maxRetriesPerRequest: behaviour.blocking ? null : 1,
      commandTimeout: commandTimeoutOf(behaviour),
      socketTimeout: socketTimeoutOf(behaviour),
    },
  };
}

/**
 * Wires a new connection: records its metadata, scrubs and logs its errors (without an
 * `error` listener ioredis prints every failed reconnect to the console), and for a command
 * connection turns the offline queue off once the first attempt has succeeded or failed.
 */
export function attachBehaviour(conn: RedisConnection, behaviour: ResolvedBehaviour, displayUrl: string): RedisConnection {
  const { logger, name, blocking, retry, commandTimeoutMs } = behaviour;
  setConnectionMetadata(conn, { name, displayUrl, blocking, logger, retry, commandTimeoutMs });
  const fields = { connection: name, redis: displayUrl };
  conn.on('error', (error: Error) => {
    scrubRedisError(error);
    logger.debug({ ...fields, reason: error.message }, 'Redis connection error');
  });
  if (conn instanceof Cluster) {
    conn.on('node error', (error: Error, node: string) => {
      scrubRedisError(error);
      logger.debug({ ...fields, node, reason: error.message }, 'Redis Cluster node error');
    });
  }
  conn.on('ready', () => logger.debug(fields, 'Redis connection ready'));
  conn.on('reconnecting', (delayMs?: number) => logger.debug({ ...fields, delayMs }, 'Redis reconnecting'));
  conn.on('end', () => logger.debug(fields, 'Redis connection ended'));
  if (!blocking) {
    const failFast = () => {
      conn.options.enableOfflineQueue = false;
      conn.off('ready', failFast);
      conn.off('reconnecting', failFast);
      conn.off('error', failFast);
    };
    conn.on('ready', failFast);
    conn.on('reconnecting', failFast);
    conn.on('error', failFast);
  }
  return conn;
}
