/** Base class of every error the cache throws; callers test `code`, never the message. */
export abstract class CacheError extends Error {
  /** Stable code callers test instead of the message. */
  abstract readonly code: string;
}

/** An option of `new Cache(...)` is missing or out of range. */
export class CacheOptionsError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'CacheOptionsError';
  }
}

/** A cache key (the part after `cache:<namespace>:`) is empty, too long or contains control characters. */
export class CacheKeyError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_KEY';

  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

/** A TTL is not a positive whole number of seconds. */
export class CacheTtlError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_TTL';

  constructor(message: string) {
    super(message);
    this.name = 'CacheTtlError';
  }
}

/** A value cannot be stored as JSON (`undefined`, a function, a BigInt, a cycle). */
export class CacheValueError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_VALUE';

  constructor(message: string) {
    super(message);
    this.name = 'CacheValueError';
  }
}

/** The cache was used after `close()`. */
export class CacheClosedError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_CLOSED';

  constructor(namespace: string) {
    super(`cache ${namespace} is closed`);
    this.name = 'CacheClosedError';
  }
}

/** A Redis command of the cache did not answer in time; the cache then falls back to its LRU. */
export class CacheTimeoutError extends CacheError {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_CACHE_TIMEOUT';

  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer from Redis within ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}
