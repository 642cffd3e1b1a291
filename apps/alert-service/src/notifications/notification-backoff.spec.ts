import { DEFAULT_NOTIFICATION_BACKOFF, notificationRetryDelay } from './notification-backoff';
import { WebhookDeliveryError } from './webhook-delivery-error';

// The backoff itself (doubling, cap, full jitter over the whole range) is backoffDelay's:
// libs/redis-client/src/retry/backoff-delay.spec.ts.
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

  it('counts attemptsMade from 1, the first retry, and reaches both ends of [0, ceiling]', () => {
    expect(notificationRetryDelay(3, undefined, backoff, () => 0)).toBe(0);
    expect(notificationRetryDelay(3, undefined, backoff, () => 0.999999999)).toBe(400);
    expect(notificationRetryDelay(20, undefined, backoff, () => 0.999999999)).toBe(1000);
    expect(notificationRetryDelay(0, undefined, { ...backoff, baseMs: 50 }, () => 0.999999999)).toBe(50);
  });
});
