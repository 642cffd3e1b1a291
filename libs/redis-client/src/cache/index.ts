// Public surface of the cache: a Redis JSON cache with TTLs, single-flight loads and an LRU fallback.
export { Cache, FALLBACK_READ_TTL_MS } from './cache';
export {
  CacheClosedError,
  CacheError,
  CacheKeyError,
  CacheOptionsError,
  CacheTimeoutError,
  CacheTtlError,
  CacheValueError,
} from './cache-errors';
export { CACHE_NAMESPACE_PATTERN, cacheKey, cacheLockKey, MAX_CACHE_KEY_LENGTH } from './cache-key';
export type { CacheOptions } from './cache-options';
