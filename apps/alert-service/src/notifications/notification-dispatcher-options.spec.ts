import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { NotificationDispatcherError } from './notification-dispatcher-error';
import { hasHashTag, resolveDispatcherOptions, type NotificationDispatcherOptions } from './notification-dispatcher-options';
import { WebhookConfigError } from './webhook-config-error';

// Lazy connections never connect: these tests only read their options.
const config = parseRedisConfig({ REDIS_URL: 'redis://127.0.0.1:1/0' }).main;
const blocking = createRedisConnection(config, { blocking: true, lazyConnect: true });
const command = createRedisConnection(config, { blocking: false, lazyConnect: true });
afterAll(() => {
  blocking.disconnect();
  command.disconnect();
});

function options(overrides: Partial<NotificationDispatcherOptions> = {}, connection: RedisConnection = blocking): NotificationDispatcherOptions {
  return { connection, targets: [], onSnoozeExpired: async () => undefined, ...overrides };
}

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('resolveDispatcherOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveDispatcherOptions(options());
    expect(resolved).toMatchObject({
      prefix: '{rebal-notify}',
      queueName: 'alert-notifications',
      snoozeQueueName: 'alert-snooze-expiry',
      attempts: 8,
      backoff: { baseMs: 1000, maxMs: 300_000, maxRetryAfterMs: 3_600_000 },
      concurrency: 5,
      dedupWindowMs: 7 * 24 * 3_600_000,
      keepCompleted: { ageMs: 3_600_000, count: 1000 },
      keepFailed: { ageMs: 7 * 24 * 3_600_000, count: 10_000 },
      queueDepthIntervalMs: 15_000,
    });
  });

  it('refuses a connection that fails fast instead of blocking', () => {
    expect(() => resolveDispatcherOptions(options({}, command))).toThrow(/createRedisConnection\(options, \{ blocking: true \}\)/);
    expect(code(() => resolveDispatcherOptions(options({}, command)))).toBe('ERR_NOTIFICATION_OPTIONS');
  });

  it('refuses a prefix without a hash tag and bad numbers, naming the option', () => {
    const cases: Array<[Partial<NotificationDispatcherOptions>, RegExp]> = [
      [{ prefix: 'rebal-notify' }, /prefix must contain a hash tag/],
      [{ prefix: '{}rebal' }, /prefix/],
      [{ attempts: 0 }, /attempts/],
      [{ backoff: { baseMs: 100, maxMs: 50 } }, /backoff.maxMs/],
      [{ concurrency: 1.5 }, /concurrency/],
      [{ keepFailed: { count: -1 } }, /keepFailed.count/],
      [{ queueName: 'a:b' }, /queueName/],
      [{ queueName: 'same', snoozeQueueName: 'same' }, /must differ/],
    ];
    for (const [overrides, message] of cases) {
      expect(() => resolveDispatcherOptions(options(overrides))).toThrow(NotificationDispatcherError);
      expect(() => resolveDispatcherOptions(options(overrides))).toThrow(message);
    }
  });

  it('validates the targets with the field named', () => {
    const run = () => resolveDispatcherOptions(options({ targets: [{ name: 'x', url: 'nope', severities: ['S1'] }] }));
    expect(run).toThrow(WebhookConfigError);
    expect(run).toThrow('targets[0].url');
  });
});

describe('hasHashTag', () => {
  it('follows the Cluster rule: the first { must open a non-empty tag', () => {
    expect(hasHashTag('{rebal-notify}')).toBe(true);
    expect(hasHashTag('app:{alerts}:bull')).toBe(true);
    expect(hasHashTag('{}{alerts}')).toBe(false);
    expect(hasHashTag('plain')).toBe(false);
    expect(hasHashTag('{open')).toBe(false);
  });
});
