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
 * Upper bound of the delay before retry number `attemptsMade` (1 = the first retry):
 * `min(maxMs, baseMs × 2^(attemptsMade − 1))`.
 */
export function backoffCeiling(attemptsMade: number, backoff: Pick<ResolvedNotificationBackoff, 'baseMs' | 'maxMs'>): number {
  const exponent = Math.max(0, attemptsMade - 1);
  // 2^1024 is Infinity, which min() turns into maxMs: no overflow handling needed.
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
}

/**
 * Exponential backoff with full jitter: a whole number of ms drawn uniformly from
 * `[0, backoffCeiling(attemptsMade)]`. Full jitter spreads retries of many deliveries that
 * failed together (a receiver outage) instead of retrying them in lockstep.
 * @param random source of uniform numbers in [0, 1) (default `Math.random`)
 */
export function notificationBackoffDelay(
  attemptsMade: number,
  backoff: Pick<ResolvedNotificationBackoff, 'baseMs' | 'maxMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attemptsMade, backoff);
  return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
}

/**
 * Delay before the next attempt after `error`: the receiver's `Retry-After` when it sent one
 * (capped at `maxRetryAfterMs`), otherwise {@link notificationBackoffDelay}.
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
  return notificationBackoffDelay(attemptsMade, backoff, random);
}
