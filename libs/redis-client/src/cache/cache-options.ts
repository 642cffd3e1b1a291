import type { Registry } from 'prom-client';
import type { RedisConnection } from '../connection/redis-connection';
import { silentLogger, type Logger } from '../logging';
import { CacheOptionsError } from './cache-errors';
import { assertCacheNamespace } from './cache-key';
import { assertTtlSeconds } from './cache-ttl';

/** Options for `new Cache(options)`. */
export interface CacheOptions {
  /** Command connection (single server, Sentinel or Cluster). Not owned: the cache never closes it. */
  redis: RedisConnection;
  /** Keys are `cache:<namespace>:<key>`; must match `[a-z0-9_-]+`. */
  namespace: string;
  /** TTL of `set` calls that give none (default 300). Every key always carries a TTL. */
  defaultTtlSeconds?: number;
  /**
   * Whether Redis is worth asking; when it returns false the cache goes straight to its
   * in-process LRU. Services pass `() => state.isReady()` from ConnectionState.
   * Default: the connection's own `status` is not `reconnecting`, `close`, `end` or
   * `disconnecting` (a connection still connecting for the first time is used: its
   * commands wait in ioredis's offline queue, bounded by `commandTimeoutMs`).
   */
  isRedisReady?: () => boolean;
  /** Entries of the in-process LRU fallback, and most outage writes remembered for replay (default 1000). */
  fallbackMaxEntries?: number;
  /** Lifetime of the cross-process `wrap` load lock in ms: how long a dead holder blocks others (default 10 000). */
  lockTtlMs?: number;
  /** How long a `wrap` caller waits for another process's load before loading itself, in ms (default `lockTtlMs`). */
  lockWaitMs?: number;
  /** How long one Redis command may take before the cache falls back to its LRU, in ms (default 1000). */
  commandTimeoutMs?: number;
  /** prom-client registry for the cache metrics (default: the global registry). */
  registry?: Registry;
  /** Logger for fallback state changes (default `silentLogger()`). */
  logger?: Logger;
}

/** {@link CacheOptions} with every default applied and checked; each field as documented there. */
export interface ResolvedCacheOptions {
  readonly redis: RedisConnection;
  readonly namespace: string;
  readonly defaultTtlSeconds: number;
  readonly isRedisReady: () => boolean;
  readonly fallbackMaxEntries: number;
  readonly lockTtlMs: number;
  readonly lockWaitMs: number;
  readonly commandTimeoutMs: number;
  readonly registry: Registry | undefined;
  readonly logger: Logger;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    throw new CacheOptionsError(`${name} must be a positive whole number (got ${String(value)})`);
  }
  return resolved;
}

/** Connection states in which a command would only wait for a reconnect (or fail). */
const UNREACHABLE_STATUSES: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end', 'disconnecting']);

/** The status-based readiness check used when no `isRedisReady` is given. */
function connectionStatusIsReady(redis: RedisConnection): () => boolean {
  return () => !UNREACHABLE_STATUSES.has(redis.status);
}

/** Merges the defaults into `options` once and checks every value; throws `CacheOptionsError`. */
export function resolveCacheOptions(options: CacheOptions): ResolvedCacheOptions {
  if (!options || typeof options !== 'object') throw new CacheOptionsError('options are required');
  if (!options.redis) throw new CacheOptionsError('redis connection is required');
  assertCacheNamespace(options.namespace);
  const defaultTtlSeconds = options.defaultTtlSeconds ?? 300;
  try {
    assertTtlSeconds(defaultTtlSeconds, 'defaultTtlSeconds');
  } catch (error) {
    throw new CacheOptionsError((error as Error).message);
  }
  const lockTtlMs = positiveInteger('lockTtlMs', options.lockTtlMs, 10_000);
  return {
    redis: options.redis,
    namespace: options.namespace,
    defaultTtlSeconds,
    isRedisReady: options.isRedisReady ?? connectionStatusIsReady(options.redis),
    fallbackMaxEntries: positiveInteger('fallbackMaxEntries', options.fallbackMaxEntries, 1000),
    lockTtlMs,
    lockWaitMs: positiveInteger('lockWaitMs', options.lockWaitMs, lockTtlMs),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs, 1000),
    registry: options.registry,
    logger: options.logger ?? silentLogger(),
  };
}
