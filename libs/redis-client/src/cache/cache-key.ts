import { CacheKeyError, CacheOptionsError } from './cache-errors';

/** What a namespace may contain: lower-case letters, digits, `_` and `-`. */
export const CACHE_NAMESPACE_PATTERN = /^[a-z0-9_-]+$/;

/** Longest key (after the namespace) the cache accepts, in characters. */
export const MAX_CACHE_KEY_LENGTH = 1024;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Throws {@link CacheOptionsError} unless `namespace` matches {@link CACHE_NAMESPACE_PATTERN}. */
export function assertCacheNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || !CACHE_NAMESPACE_PATTERN.test(namespace)) {
    throw new CacheOptionsError(`namespace must match ${CACHE_NAMESPACE_PATTERN} (got ${JSON.stringify(namespace)})`);
  }
}

/**
 * Throws {@link CacheKeyError} unless `key` is a non-empty string of at most
 * {@link MAX_CACHE_KEY_LENGTH} characters without control characters. Colons are allowed
 * (`portfolio:42`), so keys can carry their own structure.
 */
export function assertCacheKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new CacheKeyError('cache key must be a non-empty string');
  }
  if (key.length > MAX_CACHE_KEY_LENGTH) {
    throw new CacheKeyError(`cache key is ${key.length} characters long (at most ${MAX_CACHE_KEY_LENGTH})`);
  }
  if (CONTROL_CHARACTERS.test(key)) {
    throw new CacheKeyError('cache key must not contain control characters');
  }
}

/** The Redis key of a cached value: `cache:<namespace>:<key>` (both validated). */
export function cacheKey(namespace: string, key: string): string {
  assertCacheNamespace(namespace);
  assertCacheKey(key);
  return `cache:${namespace}:${key}`;
}

/**
 * The Redis key of the `wrap` load lock for a key: `cache-lock:<namespace>:<key>`. Its own
 * prefix keeps it apart from every value key (no namespace or key can produce it), and
 * it may hash to another Cluster slot than the value: nothing touches both in one command.
 */
export function cacheLockKey(namespace: string, key: string): string {
  assertCacheNamespace(namespace);
  assertCacheKey(key);
  return `cache-lock:${namespace}:${key}`;
}
