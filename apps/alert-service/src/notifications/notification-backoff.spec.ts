import { backoffCeiling, DEFAULT_NOTIFICATION_BACKOFF, notificationBackoffDelay, notificationRetryDelay } from './notification-backoff';
import { WebhookDeliveryError } from './webhook-delivery-error';

describe('backoffCeiling', () => {
  it('doubles from baseMs and stops at maxMs', () => {
    const backoff = { baseMs: 1000, maxMs: 300_000 };
    expect([1, 2, 3, 4, 9, 10].map((n) => backoffCeiling(n, backoff))).toEqual([1000, 2000, 4000, 8000, 256_000, 300_000]);
    expect(backoffCeiling(5000, backoff)).toBe(300_000);
  });

  it('treats an attempt count below 1 as the first retry', () => {
    expect(backoffCeiling(0, { baseMs: 50, maxMs: 1000 })).toBe(50);
  });
});

describe('notificationBackoffDelay', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };

  it('reaches both ends of [0, ceiling] with the extreme random values', () => {
    expect(notificationBackoffDelay(3, backoff, () => 0)).toBe(0);
    expect(notificationBackoffDelay(3, backoff, () => 0.999999999)).toBe(400);
    expect(notificationBackoffDelay(20, backoff, () => 0.999999999)).toBe(1000);
  });

  it('draws whole milliseconds spread over the whole range', () => {
    for (const attempt of [1, 2, 4, 8]) {
      const ceiling = backoffCeiling(attempt, backoff);
      const delays = Array.from({ length: 2000 }, () => notificationBackoffDelay(attempt, backoff));
      for (const delay of delays) {
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
      // Full jitter: both the lower and the upper quarter of the range occur.
      expect(delays.some((delay) => delay < ceiling / 4)).toBe(true);
      expect(delays.some((delay) => delay > (ceiling * 3) / 4)).toBe(true);
    }
  });
});

describe('notificationRetryDelay', () => {
  const backoff = { ...DEFAULT_NOTIFICATION_BACKOFF, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 60_000 };
  const rateLimited = (retryAfterMs?: number) =>
    new WebhookDeliveryError({ target: 'ops', reason: 'http_4xx', status: 429, retryable: true, retryAfterMs });

  it('waits as long as Retry-After asks, up to maxRetryAfterMs', () => {
    expect(notificationRetryDelay(1, rateLimited(1000), backoff, () => 0)).toBe(1000);
    expect(notificationRetryDelay(1, rateLimited(3_600_000), backoff, () => 0)).toBe(60_000);
    expect(notificationRetryDelay(1, rateLimited(0), backoff, () => 0.9)).toBe(0);
  });

  it('falls back to the jittered backoff without Retry-After', () => {
    expect(notificationRetryDelay(2, rateLimited(), backoff, () => 0.5)).toBe(100);
    expect(notificationRetryDelay(2, new Error('boom'), backoff, () => 0.5)).toBe(100);
    expect(notificationRetryDelay(2, undefined, backoff, () => 0.999999)).toBe(200);
  });
});
