import { backoffDelay } from '../retry';

/** First delay between two polls of a `wrap` waiter, in milliseconds. */
export const FIRST_POLL_DELAY_MS = 10;

/** Longest delay between two polls of a `wrap` waiter, in milliseconds. */
export const MAX_POLL_DELAY_MS = 200;

/**
 * Delay before poll number `attempt` (0-based) of a process waiting for another one's
 * load: {@link backoffDelay} from {@link FIRST_POLL_DELAY_MS} up to {@link MAX_POLL_DELAY_MS},
 * of which a random quarter may be dropped so waiters of many processes do not poll in
 * lockstep, and never past `remainingMs` (what is left of the wait).
 * @param random uniform in [0, 1); a draw of 0 keeps the whole delay
 */
export function pollDelayMs(attempt: number, remainingMs: number, random: () => number = Math.random): number {
  const delay = backoffDelay(attempt, { baseMs: FIRST_POLL_DELAY_MS, maxMs: MAX_POLL_DELAY_MS, jitter: 0.25 }, () => 1 - random());
  return Math.max(0, Math.min(delay, remainingMs));
}
