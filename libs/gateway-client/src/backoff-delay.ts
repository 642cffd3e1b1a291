/** Reconnect backoff settings. */
export interface BackoffOptions {
  /** Delay cap of the first retry, ms; doubles with every failed attempt. */
  readonly baseMs: number;
  /** Largest delay cap, ms. */
  readonly maxMs: number;
  /** `full`: a uniformly random delay in [0, cap) (spreads reconnect storms); `none`: exactly the cap. */
  readonly jitter: 'full' | 'none';
}

/**
 * The delay before retry number `attempt` (0 for the first retry): exponential
 * `min(maxMs, baseMs * 2^attempt)` with optional full jitter ("Exponential Backoff And
 * Jitter", AWS Architecture Blog). `random` returns a number in [0, 1). The services' formula
 * is `backoffDelay` of @rebal/redis-client; this package is published for browsers and
 * imports nothing, so it keeps this small copy of it.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return options.jitter === 'full' ? Math.floor(random() * cap) : cap;
}
