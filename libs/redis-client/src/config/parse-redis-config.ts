import { ConfigError } from './config-error';
import { parseEndpointList } from './parse-endpoint-list';
import { DEFAULT_REDIS_PORT, hostForUrl, parseRedisUrl, redactedUserinfo, type ParsedRedisUrl } from './parse-redis-url';
import type { RedisConfig, RedisConnectionOptions, RedisEndpoint, RedisTlsOptions } from './redis-config';
import { parseDurationMs } from './duration';
import { DEFAULT_REDIS_URL } from './redis-config-variables';

/** Default Sentinel port, for REDIS_SENTINELS entries written without one. */
const DEFAULT_SENTINEL_PORT = 26379;
const STREAM_PREFIX = /^[A-Za-z0-9:_.-]*$/;

type Env = Record<string, string | undefined>;

/** A variable's trimmed value; empty counts as unset. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function tlsFor(url: ParsedRedisUrl, tls: RedisTlsOptions): RedisTlsOptions | undefined {
  return url.tls ? { ...tls } : undefined;
}

function listForUrl(nodes: RedisEndpoint[]): string {
  return nodes.map((node) => `${hostForUrl(node.host)}:${node.port}`).join(',');
}

function standalone(url: ParsedRedisUrl, tls: RedisTlsOptions): RedisConnectionOptions {
  const scheme = url.tls ? 'rediss' : 'redis';
  return {
    mode: 'standalone',
    host: url.host,
    port: url.port,
    nodes: [],
    username: url.username,
    password: url.password,
    db: url.db,
    tls: tlsFor(url, tls),
    displayUrl: `${scheme}://${redactedUserinfo(url.username, url.password)}${hostForUrl(url.host)}:${url.port}/${url.db}`,
  };
}

/** `REDIS_COMMAND_TIMEOUT` in ms, or undefined when unset (the connection's default applies). */
function commandTimeout(env: Env): number | undefined {
  const text = read(env, 'REDIS_COMMAND_TIMEOUT');
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 100 || ms > 600_000) {
    throw new ConfigError('REDIS_COMMAND_TIMEOUT', 'expected a duration from 100ms to 10m, such as 500ms or 5s');
  }
  return ms;
}

/** Drops keys whose value is undefined, so options compare and print cleanly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Turns environment variables into the typed Redis configuration. Pure: it reads only
 * `env` (no files, no network), so `main.ts` calls it once with `process.env` and tests
 * call it with plain objects. Values are trimmed and empty ones count as unset.
 *
 * - `REDIS_URL` (default `redis://127.0.0.1:6379/0`, so local development works untouched):
 *   `redis[s]://[[user]:password@]host[:port][/db]` (`REDIS_URL_FORM`).
 * - `CACHE_REDIS_URL`: the cache's own single server; `cache` copies `main` when unset.
 * - `REDIS_SENTINELS` + `REDIS_SENTINEL_NAME` (+ `REDIS_SENTINEL_PASSWORD`): Sentinel mode;
 *   credentials, TLS and db of the master come from `REDIS_URL`.
 * - `REDIS_CLUSTER_NODES`: Cluster mode; credentials and TLS from `REDIS_URL`, whose db must be 0.
 * - `REDIS_TLS_CA_FILE`, `REDIS_TLS_SERVERNAME`: for `rediss://` URLs (the CA is stored as
 *   a path and read by `createRedisConnection`).
 * - `REDIS_STREAM_PREFIX`: prefix for stream names, characters `[A-Za-z0-9:_.-]`.
 * - `REDIS_COMMAND_TIMEOUT`: longest wait for one reply, on both connections (`commandTimeoutMs`).
 *
 * @throws ConfigError for the first bad value: `variable` names it, and the message says
 *   what was expected without ever repeating a password.
 */
export function parseRedisConfig(env: Env): RedisConfig {
  const mainUrl = parseRedisUrl('REDIS_URL', read(env, 'REDIS_URL') ?? DEFAULT_REDIS_URL);
  const cacheText = read(env, 'CACHE_REDIS_URL');
  const cacheUrl = cacheText === undefined ? undefined : parseRedisUrl('CACHE_REDIS_URL', cacheText);

  const caFile = read(env, 'REDIS_TLS_CA_FILE');
  const servername = read(env, 'REDIS_TLS_SERVERNAME');
  const tls: RedisTlsOptions = compact({ caFile, servername });
  if ((caFile || servername) && !mainUrl.tls && !cacheUrl?.tls) {
    const variable = caFile ? 'REDIS_TLS_CA_FILE' : 'REDIS_TLS_SERVERNAME';
    throw new ConfigError(variable, 'is set but no Redis URL uses TLS; expected a rediss:// URL in REDIS_URL or CACHE_REDIS_URL (or unset this variable)');
  }

  const sentinelsText = read(env, 'REDIS_SENTINELS');
  const sentinelName = read(env, 'REDIS_SENTINEL_NAME');
  const sentinelPassword = read(env, 'REDIS_SENTINEL_PASSWORD');
  const clusterText = read(env, 'REDIS_CLUSTER_NODES');
  if (sentinelsText && clusterText) {
    throw new ConfigError('REDIS_CLUSTER_NODES', 'cannot be used together with REDIS_SENTINELS; expected Sentinel or Cluster mode, not both');
  }
  if (!sentinelsText) {
    if (sentinelName) throw new ConfigError('REDIS_SENTINEL_NAME', 'is set but REDIS_SENTINELS is not; expected both (Sentinel mode) or neither');
    if (sentinelPassword) throw new ConfigError('REDIS_SENTINEL_PASSWORD', 'is set but REDIS_SENTINELS is not; expected it only in Sentinel mode');
  }

  let main = standalone(mainUrl, tls);
  const credentials = redactedUserinfo(mainUrl.username, mainUrl.password);
  const scheme = mainUrl.tls ? 'rediss' : 'redis';
  if (sentinelsText) {
    const nodes = parseEndpointList('REDIS_SENTINELS', sentinelsText, DEFAULT_SENTINEL_PORT);
    if (!sentinelName) {
      throw new ConfigError('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS; expected the name of the master group the Sentinels monitor (e.g. mymaster)');
    }
    if (!/^[A-Za-z0-9._-]+$/.test(sentinelName)) {
      throw new ConfigError('REDIS_SENTINEL_NAME', `"${sentinelName.slice(0, 60)}" is not a valid master group name; expected letters, digits, . _ -`);
    }
    main = compact({
      ...main,
      mode: 'sentinel' as const,
      nodes,
      sentinelName,
      sentinelPassword,
      displayUrl: `${scheme}://${credentials}${listForUrl(nodes)}/${mainUrl.db} (sentinel master ${sentinelName})`,
    });
  } else if (clusterText) {
    const nodes = parseEndpointList('REDIS_CLUSTER_NODES', clusterText, DEFAULT_REDIS_PORT);
    if (mainUrl.db !== 0) {
      throw new ConfigError('REDIS_URL', `db index must be 0 with REDIS_CLUSTER_NODES, got ${mainUrl.db}; a Redis Cluster only has db 0`);
    }
    main = { ...main, mode: 'cluster', nodes, displayUrl: `${scheme}://${credentials}${listForUrl(nodes)}/0 (cluster)` };
  }

  const streamPrefix = read(env, 'REDIS_STREAM_PREFIX') ?? '';
  if (!STREAM_PREFIX.test(streamPrefix) || streamPrefix.length > 64) {
    throw new ConfigError('REDIS_STREAM_PREFIX', `"${streamPrefix.slice(0, 64)}" is not allowed; expected at most 64 characters from A-Z a-z 0-9 : _ . - (e.g. staging:)`);
  }

  const commandTimeoutMs = commandTimeout(env);
  main = { ...main, commandTimeoutMs };
  const cache = cacheUrl
    ? { ...standalone(cacheUrl, tls), commandTimeoutMs }
    : { ...main, nodes: main.nodes.map((node) => ({ ...node })), tls: main.tls && { ...main.tls } };
  return { main: compact(main), cache: compact(cache), streamPrefix };
}
