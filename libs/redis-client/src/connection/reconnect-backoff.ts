/** How fast a lost connection is retried: capped exponential backoff with jitter. */
export interface ReconnectBackoffOptions {
  /** Delay before the first retry, in ms (default 100). */
  baseMs?: number;
  /** Longest delay between two retries, in ms (default 5000). */
  maxMs?: number;
}

/** The defaults of {@link ReconnectBackoffOptions}: 100 ms, doubling up to 5 s. */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<Required<ReconnectBackoffOptions>> = { baseMs: 100, maxMs: 5_000 };

/**
 * Delay before reconnect attempt `attempt` (1 for the first retry): `baseMs * 2^(attempt-1)`
 * capped at `maxMs`, of which a random half is dropped ("equal jitter"), so the delay lies
 * in [d/2, d]. The jitter spreads the reconnects of many replicas after an outage; the
 * fixed half keeps a tight retry loop from ever forming.
 *
 * @param random source of randomness in [0, 1) (default `Math.random`; tests pass their own)
 */
export function reconnectDelay(
  attempt: number,
  options: ReconnectBackoffOptions = {},
  random: () => number = Math.random,
): number {
  const baseMs = options.baseMs ?? DEFAULT_RECONNECT_BACKOFF.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_RECONNECT_BACKOFF.maxMs;
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const delay = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(delay / 2 + (random() * delay) / 2);
}
