/** First delay between two polls of a `wrap` waiter, in milliseconds. */
export const FIRST_POLL_DELAY_MS = 10;

/** Longest delay between two polls of a `wrap` waiter, in milliseconds. */
export const MAX_POLL_DELAY_MS = 200;

/**
 * Delay before poll number `attempt` (0-based) of a process waiting for another one's
 * load: doubles from {@link FIRST_POLL_DELAY_MS} up to {@link MAX_POLL_DELAY_MS}, with up
 * to 25 % random jitter so waiters of many processes do not poll in lockstep, and never
 * past `remainingMs` (what is left of the wait).
 */
export function pollDelayMs(attempt: number, remainingMs: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_POLL_DELAY_MS, FIRST_POLL_DELAY_MS * 2 ** Math.min(attempt, 16));
  const jittered = base * (1 - 0.25 * random());
  return Math.max(0, Math.min(Math.round(jittered), remainingMs));
}
