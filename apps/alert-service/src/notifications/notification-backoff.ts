import { backoffDelay } from '@rebal/redis-client';
import { WebhookDeliveryError } from './webhook-delivery-error';

/** Retry timing of failed deliveries and snooze-expiry callbacks. */
export interface NotificationBackoffOptions {
  /** Ceiling of the first retry's delay in ms (default 1000). */
  baseMs?: number;
  /** Largest ceiling in ms (default 300000: 5 min). */
  maxMs?: number;
  /** Longest `Retry-After` honoured in ms; longer requests wait this long (default 3600000: 1 h). */
  maxRetryAfterMs?: number;
}

/** {@link NotificationBackoffOptions} with every default applied. */
export type ResolvedNotificationBackoff = Required<NotificationBackoffOptions>;

/** Defaults: 1 s doubling up to 5 min, `Retry-After` honoured up to 1 h. */
export const DEFAULT_NOTIFICATION_BACKOFF: Readonly<ResolvedNotificationBackoff> = {
  baseMs: 1_000,
  maxMs: 5 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
};

/**
 * Delay before retry number `attemptsMade` (1 = the first retry) after `error`: the
 * receiver's `Retry-After` when it sent one (capped at `maxRetryAfterMs`), otherwise
 * `backoffDelay` with full jitter, a whole number of ms in `[0, min(maxMs, baseMs × 2^(attemptsMade − 1))]`.
 * Full jitter spreads retries of many deliveries that failed together (a receiver outage)
 * instead of retrying them in lockstep.
 * @param random source of uniform numbers in [0, 1) (default `Math.random`)
 */
export function notificationRetryDelay(
  attemptsMade: number,
  error: unknown,
  backoff: ResolvedNotificationBackoff,
  random: () => number = Math.random,
): number {
  if (error instanceof WebhookDeliveryError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, backoff.maxRetryAfterMs);
  }
  return backoffDelay(attemptsMade - 1, { baseMs: backoff.baseMs, maxMs: backoff.maxMs, jitter: 'full' }, random);
}
