/** Thrown by {@link withTimeout} when a Redis command does not answer in time. */
export class CheckTimeoutError extends Error {
  /** Stable code for callers. */
  readonly code = 'ERR_CHECK_TIMEOUT';

  constructor(what: string, timeoutMs: number) {
    super(`${what} did not answer within ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

/**
 * `promise`, or a {@link CheckTimeoutError} after `timeoutMs`. The command itself is not
 * cancelled (Redis has no way to); its late answer is ignored.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  // A late rejection of the losing command must not surface as unhandled.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
