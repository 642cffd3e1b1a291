import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { AlertChange } from '../alerts';
import { NotificationDispatcher } from './notification-dispatcher';
import { startWebhookReceiver, type WebhookReceiver } from './testing/start-webhook-receiver';

const redis = useRedis({ mode: 'cluster' });

function change(id: string, version: number): AlertChange {
  const now = Date.now();
  return {
    type: 'alert.raised',
    actor: 'rule:eth-drop',
    at: now,
    alert: {
      id,
      ruleId: 'eth-drop',
      type: 'price_change',
      severity: 'S3',
      labels: { rule: 'eth-drop', kind: 'price_change', symbol: 'ETH' },
      fingerprint: 'e'.repeat(16),
      annotations: {},
      value: 7.5,
      startsAt: now,
      updatedAt: now,
      status: 'firing',
      version,
    },
  };
}

describe('NotificationDispatcher on a Redis Cluster', () => {
  let connection: RedisConnection;
  let hook: WebhookReceiver | undefined;
  let dispatcher: NotificationDispatcher | undefined;

  beforeAll(() => {
    connection = createRedisConnection(parseRedisConfig(redis.server.env).main, { blocking: true, name: 'notifications-cluster-test' });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await hook?.close();
    await connection.quit();
  });

  it('retries, deduplicates and runs snooze expiries with every key in one hash slot', async () => {
    hook = await startWebhookReceiver((_request, previous) => ({ status: previous === 0 ? 503 : 200 }));
    const expired: Array<[string, number]> = [];
    dispatcher = new NotificationDispatcher({
      connection,
      prefix: `{notify-cluster-${randomUUID()}}`,
      targets: [{ name: 'ops', url: hook.url, severities: ['S3'] }],
      backoff: { baseMs: 50, maxMs: 200 },
      onSnoozeExpired: async (alertId, version) => {
        expired.push([alertId, version]);
      },
      registry: new Registry(),
    });
    await dispatcher.start();
    const alertId = randomUUID();

    await dispatcher.notify(change(alertId, 1));
    await dispatcher.notify(change(alertId, 1));
    await dispatcher.notify(change(alertId, 2));
    await dispatcher.scheduleSnoozeExpiry(alertId, Date.now() + 200, 2);

    const accepted = () => (hook?.requests ?? []).filter((request) => request.status === 200);
    await waitFor(() => accepted().length === 2 && expired.length === 1, { timeoutMs: 20_000 });
    await waitFor(async () => {
      const depth = await dispatcher?.refreshQueueDepth();
      return depth && depth.waiting + depth.delayed + depth.active === 0;
    });
    expect(accepted().map((request) => request.headers['x-rebal-delivery']).sort()).toEqual([`${alertId}:1:ops`, `${alertId}:2:ops`]);
    expect(hook.requests).toHaveLength(4);
    expect(expired).toEqual([[alertId, 2]]);
  });
});
