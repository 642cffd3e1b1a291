import { CacheTimeoutError } from './cache-errors';

/**
 * Resolves like `promise`, or rejects with {@link CacheTimeoutError} after `timeoutMs`.
 * A late answer or failure of `promise` is swallowed, never an unhandled rejection.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(what, timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
