import { CacheTtlError } from './cache-errors';

/** Throws {@link CacheTtlError} unless `ttlSeconds` is a positive whole number (a safe integer). */
export function assertTtlSeconds(ttlSeconds: unknown, what = 'ttlSeconds'): asserts ttlSeconds is number {
  if (typeof ttlSeconds !== 'number' || !Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new CacheTtlError(`${what} must be a positive whole number of seconds (got ${String(ttlSeconds)})`);
  }
}
