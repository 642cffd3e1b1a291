/** How a retry delay grows: doubling from `baseMs`, capped at `maxMs`, with optional jitter. */
export interface BackoffOptions {
  /** Delay before the first retry (attempt 0), ms. */
  readonly baseMs: number;
  /** Largest delay, ms. */
  readonly maxMs: number;
  /**
   * How much of the delay is random (default `none`): `equal` keeps half and draws the other
   * half (a delay in [d/2, d]: spread, and never a tight loop), `full` draws all of it (a delay
   * in [0, d]: spreads most, for many clients retrying one receiver), or a share in [0, 1].
   */
  readonly jitter?: 'none' | 'equal' | 'full' | number;
}

const JITTER_SHARE = { none: 0, equal: 0.5, full: 1 } as const;

/**
 * The one backoff formula of the services and the library: the delay before retry `attempt`
 * (0 for the first), `min(maxMs, baseMs × 2^attempt)` with the random share of `jitter`
 * drawn from `random` ("Exponential Backoff And Jitter", AWS Architecture Blog). Whole ms.
 * (The browser SDK, which imports nothing, keeps a copy: libs/gateway-client/src/backoff-delay.ts.)
 * @param random uniform in [0, 1) (default `Math.random`); 0 gives the shortest delay
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  // 2^30 × any sane base is past any cap: the exponent stops there so a long outage never overflows.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  const jitter = options.jitter ?? 'none';
  const share = typeof jitter === 'number' ? Math.min(1, Math.max(0, jitter)) : JITTER_SHARE[jitter];
  return Math.round(ceiling * (1 - share) + ceiling * share * random());
}
