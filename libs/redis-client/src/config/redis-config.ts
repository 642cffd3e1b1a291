/** One Redis address: a Cluster seed node or a Sentinel. */
export interface RedisEndpoint {
  /** Host name or IP address (IPv6 without brackets, e.g. `::1`). */
  host: string;
  /** TCP port, 1..65535. */
  port: number;
}

/** TLS settings of a `rediss://` connection. */
export interface RedisTlsOptions {
  /** Path of a PEM file with the CA that signed the server certificate (`REDIS_TLS_CA_FILE`); the system CAs when unset. Read by `createRedisConnection`, not by the parser. */
  caFile?: string;
  /** Server name to send (SNI) and to verify the certificate against (`REDIS_TLS_SERVERNAME`); the host when unset. */
  servername?: string;
}

/**
 * Everything needed to open one Redis connection, parsed from the environment by
 * `parseRedisConfig` and turned into an ioredis client by `createRedisConnection`.
 */
export interface RedisConnectionOptions {
  /** `standalone` (one server), `sentinel` (master found through Sentinels) or `cluster`. */
  mode: 'standalone' | 'sentinel' | 'cluster';
  /** Host from the URL (IPv6 without brackets). Used in `standalone` mode only. */
  host: string;
  /** Port from the URL (default 6379). Used in `standalone` mode only. */
  port: number;
  /** Cluster seed nodes (`cluster`) or Sentinels (`sentinel`); `[]` for `standalone`. */
  nodes: RedisEndpoint[];
  /** Sentinel master group name (`REDIS_SENTINEL_NAME`); set in `sentinel` mode only. */
  sentinelName?: string;
  /** Password of the Sentinels themselves (`REDIS_SENTINEL_PASSWORD`), if they require one. */
  sentinelPassword?: string;
  /** ACL user name from the URL; unset means the `default` user. */
  username?: string;
  /** Password from the URL (percent-decoded). Never log it: use `displayUrl`. */
  password?: string;
  /** Database index 0..15 from the URL path (default 0; always 0 in `cluster` mode). */
  db: number;
  /** Present when the URL scheme is `rediss://`. */
  tls?: RedisTlsOptions;
  /**
   * Longest wait in ms for the reply to one command (`REDIS_COMMAND_TIMEOUT`); unset means
   * the library's default (`DEFAULT_COMMAND_TIMEOUT_MS`, 5 s). See `createRedisConnection`.
   */
  commandTimeoutMs?: number;
  /**
   * The address with the password replaced by `***`, safe to log. Standalone:
   * `redis://user:***@host:6379/0`. Sentinel and Cluster list the nodes and say which mode,
   * e.g. `redis://:***@10.0.0.1:26379,10.0.0.2:26379/0 (sentinel master mymaster)`.
   */
  displayUrl: string;
}

/** The Redis part of a service's configuration (see `parseRedisConfig`). */
export interface RedisConfig {
  /** The durable Redis: streams, alerts, BullMQ, sessions (`REDIS_URL` + Sentinel/Cluster variables). */
  main: RedisConnectionOptions;
  /** The cache's Redis (`CACHE_REDIS_URL`); a copy of `main` when that variable is unset. */
  cache: RedisConnectionOptions;
  /** Prefix for stream names (`REDIS_STREAM_PREFIX`, default empty). */
  streamPrefix: string;
}
