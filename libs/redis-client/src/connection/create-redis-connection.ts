import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { ConfigError, type RedisConnectionOptions } from '../config';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../config/redis-config-variables';
import {
  attachBehaviour,
  clusterBehaviourOptions,
  redisBehaviourOptions,
  resolveBehaviour,
} from './connection-behaviour';
import type { CreateRedisConnectionOptions } from './create-redis-connection-options';
import type { RedisConnection } from './redis-connection';

/** Node TLS options for a `rediss://` connection; reads the CA file (the only I/O of the factory). */
function tlsOptions(options: RedisConnectionOptions): TlsConnectionOptions | undefined {
  if (!options.tls) return undefined;
  const { caFile, servername } = options.tls;
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError('REDIS_TLS_CA_FILE', `cannot read the CA file ${caFile} (${reason}); expected a readable PEM file`);
    }
  }
  return { ...(ca ? { ca } : {}), ...(servername ? { servername } : {}) };
}

/**
 * Opens a connection described by `parseRedisConfig`: an ioredis `Redis` for a single
 * server (plain or TLS) or a Sentinel-managed master, or an ioredis `Cluster`.
 *
 * Behaviour:
 * - `CLIENT SETNAME rebal:<name>`, so `CLIENT LIST` shows who is who.
 * - Reconnects forever with capped exponential backoff and jitter (100 ms → 5 s by default),
 *   through `retryStrategy` (and `clusterRetryStrategy` / `sentinelRetryStrategy`).
 * - Command connection (`blocking: false`, the default): fails fast while Redis is away.
 *   Commands issued during the very first connection attempt are queued; from the moment
 *   that attempt succeeds or fails, the offline queue is off, so a command issued while
 *   disconnected rejects at once ("Stream isn't writeable…", see `isConnectionError`), and a
 *   command in flight when the link drops is retried once on an immediate reconnect and
 *   otherwise rejects after the first failed reconnect attempt (`maxRetriesPerRequest: 1`).
 *   Every command waits at most `commandTimeoutMs` (`REDIS_COMMAND_TIMEOUT`, default 5 s) for
 *   its reply, then rejects with "Command timed out" (`isConnectionError`): a Redis that
 *   hangs keeps its sockets open, and nothing else would end the wait. A socket that receives
 *   nothing for three timeouts while commands wait is replaced (`socketTimeout`): a failover
 *   or a black hole that leaves the old socket open would otherwise never be left.
 * - Blocking connection (`blocking: true`): for XREADGROUP BLOCK and BullMQ; commands wait
 *   in the offline queue through outages and complete after Redis returns
 *   (`maxRetriesPerRequest: null`), with no reply deadline (a BLOCK may wait long); its
 *   readers bound each read themselves (`ConsumerGroupRunner`: BLOCK plus `commandTimeoutMs`).
 * - Sentinel: Sentinels from `nodes`, master group `sentinelName`, `sentinelPassword`; user,
 *   password, db and TLS apply to the master (`enableTLSForSentinelMode`); the Sentinels
 *   themselves are reached without TLS.
 * - Cluster: seeds from `nodes`; user, password and TLS apply to every node. ioredis
 *   connects to nodes lazily, so a Cluster notices an outage on its next command (that one
 *   fails within ~1 s) or slots refresh (every 5 s); later commands fail at once. A
 *   blocking Cluster connection also waits out CLUSTERDOWN after a restart or failover
 *   (about 30 s; a command connection gives up after ioredis's 16 retries, ~2 s).
 * - Errors are logged at debug level with the `displayUrl`, never the password; ioredis
 *   errors carrying AUTH arguments are scrubbed before anyone sees them. Use
 *   `ConnectionState` for the operator-facing "degraded mode" log.
 *
 * @throws ConfigError when the TLS CA file cannot be read
 * @throws InvalidConnectionOptionError for a bad `name` or `retry`
 */
export function createRedisConnection(options: RedisConnectionOptions, opts: CreateRedisConnectionOptions = {}): RedisConnection {
  const behaviour = resolveBehaviour(opts, { name: 'main', blocking: false, commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS });
  const tls = tlsOptions(options);
  const credentials = { username: options.username, password: options.password };
  let conn: RedisConnection;
  if (options.mode === 'cluster') {
    conn = new Cluster(
      options.nodes.map((node) => ({ ...node })),
      clusterBehaviourOptions(behaviour, { ...credentials, ...(tls ? { tls } : {}) }),
    );
  } else if (options.mode === 'sentinel') {
    conn = new Redis({
      ...redisBehaviourOptions(behaviour),
      ...credentials,
      db: options.db,
      sentinels: options.nodes.map((node) => ({ ...node })),
      name: options.sentinelName,
      sentinelPassword: options.sentinelPassword,
      ...(tls ? { tls, enableTLSForSentinelMode: true } : {}),
    });
  } else {
    conn = new Redis({
      ...redisBehaviourOptions(behaviour),
      ...credentials,
      host: options.host,
      port: options.port,
      db: options.db,
      ...(tls ? { tls } : {}),
    });
  }
  return attachBehaviour(conn, behaviour, options.displayUrl);
}
