import { backoffDelay } from '../retry';

/** How fast a lost connection is retried: capped exponential backoff with equal jitter. */
export interface ReconnectBackoffOptions {
  /** Delay before the first retry, in ms (default 100). */
  baseMs?: number;
  /** Longest delay between two retries, in ms (default 5000). */
  maxMs?: number;
}

/** The defaults of {@link ReconnectBackoffOptions}: 100 ms, doubling up to 5 s. */
export const DEFAULT_RECONNECT_BACKOFF: Readonly<Required<ReconnectBackoffOptions>> = { baseMs: 100, maxMs: 5_000 };

/**
 * Delay before reconnect attempt `attempt` (ioredis counts from 1): {@link backoffDelay} with
 * equal jitter, a delay in [d/2, d]. The jitter spreads the reconnects of many replicas after
 * an outage; the fixed half keeps a tight retry loop from ever forming.
 * @param random source of randomness in [0, 1) (default `Math.random`; tests pass their own)
 */
export function reconnectDelay(attempt: number, options: ReconnectBackoffOptions = {}, random: () => number = Math.random): number {
  return backoffDelay(attempt - 1, { ...DEFAULT_RECONNECT_BACKOFF, ...options, jitter: 'equal' }, random);
}
