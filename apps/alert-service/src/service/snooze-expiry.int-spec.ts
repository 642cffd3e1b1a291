import { randomUUID } from 'node:crypto';
import { createRedisConnection, decodeEntry, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { NotificationDispatcher } from '../notifications';
import { startWebhookReceiver, type WebhookReceiver } from '../notifications/testing/start-webhook-receiver';
import { commit, Connections, ManualClock, must, newStore, transitionOf } from '../store/test/store-test-kit';
import { createAlertNotifier } from './alert-notifier';
import { createSnoozeExpiryHandler } from './snooze-expiry-handler';

const MINUTE = 60_000;

const redis = useRedis({}, 60_000);

describe('snooze expiry through the delayed job', () => {
  // Inside a describe, so these close before useRedis stops the server.
  const connections = new Connections();
  let bullmq: RedisConnection | undefined;
  let dispatcher: NotificationDispatcher | undefined;
  let hook: WebhookReceiver | undefined;

  afterAll(async () => {
    await dispatcher?.close();
    await hook?.close();
    await bullmq?.quit();
    await connections.closeAll();
  }, 20_000);

  it('re-notifies a snoozed alert when its snooze runs out, and leaves one re-snoozed since alone', async () => {
    const conn = connections.connect(redis.server);
    bullmq = createRedisConnection(parseRedisConfig(redis.server.env).main, { blocking: true, name: 'snooze-expiry-test' });
    // The store's clock starts 5 min in the past, less 300 ms: a 5 minute snooze ends 300 ms from now in real time.
    const clock = new ManualClock(Date.now() - 5 * MINUTE + 300);
    const store = newStore(conn, { clock: clock.now });
    hook = await startWebhookReceiver(() => ({ status: 200 }));
    const registry = new Registry();
    dispatcher = new NotificationDispatcher({
      connection: bullmq,
      prefix: `{snooze-expiry-${randomUUID()}}`,
      targets: [{ name: 'ops', url: `${hook.url}/ops`, severities: ['S1', 'S2', 'S3'] }],
      backoff: { baseMs: 20, maxMs: 100 },
      onSnoozeExpired: createSnoozeExpiryHandler(store),
      registry,
    });
    await dispatcher.start();
    // The service's notifier consumes the alerts stream; here each new entry is handed to it in order.
    const notifier = createAlertNotifier({ dispatcher });
    let lastId = '0-0';
    const relay = async () => {
      for (const [id, fields] of await conn.xrange(store.keys.stream, `(${lastId}`, '+')) {
        const decoded = decodeEntry(fields);
        if (!decoded.ok) throw new Error(`invalid alerts entry ${id}: ${decoded.reason}`);
        await notifier(decoded.event, { id, stream: store.keys.stream, deliveries: 1 });
        lastId = id;
      }
    };

    const [a] = await commit(store, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: 'A' }, atMs: clock.nowMs })]);
    const [b] = await commit(store, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: 'B' }, atMs: clock.nowMs })]);
    const [id, other] = [must(a).alert.id, must(b).alert.id];
    const snoozed = await store.snooze(id, 5, 'user:alice');
    await store.snooze(other, 5, 'user:alice');
    await store.snooze(other, 60, 'user:alice'); // renewed: its first expiry job is moot
    const untilMs = must(snoozed.alert.snoozedUntil);
    clock.nowMs = Date.now() + 5 * MINUTE; // by the time the jobs run, the 5 minute snoozes have ended
    await relay();

    await waitFor(async () => must(await store.get(id)).status === 'firing', { timeoutMs: 10_000, message: 'the snooze lifted by its job' });
    await waitFor(async () => (await registry.getSingleMetric('rebal_alert_snooze_expiries_total')?.get())?.values.find((v) => v.labels['outcome'] === 'fired')?.value === 2, {
      timeoutMs: 10_000,
      message: 'both 5 minute expiry jobs ran',
    });
    expect(must(await store.get(other))).toMatchObject({ status: 'snoozed', version: 3 });
    const history = await store.history(id);
    expect(history.map((change) => [change.type, change.actor, change.notify])).toEqual([
      ['alert.raised', 'rule:btc-above', true],
      ['alert.snoozed', 'user:alice', false],
      ['alert.updated', 'system', true],
    ]);

    await relay();
    const accepted = () => (hook as WebhookReceiver).requests.filter((request) => request.status === 200);
    await waitFor(() => accepted().length === 3, { timeoutMs: 10_000, message: 'three deliveries: two raises and the unsnooze' });
    const mine = accepted().filter((request) => String(request.headers['x-rebal-delivery']).startsWith(`${id}:`));
    expect(mine.map((request) => request.headers['x-rebal-delivery'])).toEqual([`${id}:1:ops`, `${id}:3:ops`]);
    const renotified = mine[1] as { body: string; at: number };
    expect(JSON.parse(renotified.body)).toMatchObject({ type: 'alert.updated', actor: 'system', alert: { id, status: 'firing', version: 3 } });
    expect(renotified.at).toBeGreaterThanOrEqual(untilMs - 5);
    expect(accepted().some((request) => String(request.headers['x-rebal-delivery']).startsWith(`${other}:`) && request.headers['x-rebal-delivery'] !== `${other}:1:ops`)).toBe(false);
  }, 30_000);
});
