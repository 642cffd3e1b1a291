import { createRedisConnection, parseRedisConfig, silentLogger, type RedisConnection } from '@rebal/redis-client';
import { freePort, useRedis, waitFor } from '@rebal/redis-testing';
import { Queue, Worker } from 'bullmq';
import { createHmac, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { AlertChange } from '../alerts';
import type { Severity } from '../rules';
import { NotificationDispatcher } from './notification-dispatcher';
import type { NotificationDispatcherOptions } from './notification-dispatcher-options';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookAnswer, type WebhookReceiver } from './testing/start-webhook-receiver';
import type { WebhookTarget } from './webhook-target';
import { verifyWebhookSignature } from './webhook-signature';

const redis = useRedis();
const SECRET = 'test-signing-secret-0123456789';

let connection: RedisConnection;
const dispatchers: NotificationDispatcher[] = [];
const receivers: WebhookReceiver[] = [];
const queues: Queue[] = [];

async function receiver(answer: (request: ReceivedWebhook, previousAttempts: number) => WebhookAnswer): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

function target(name: string, url: string, severities: Severity[] = ['S1', 'S2', 'S3'], extra: Partial<WebhookTarget> = {}): WebhookTarget {
  return { name, url, severities, ...extra };
}

/** A started (unless `start` is false) dispatcher with its own key prefix and registry, small backoffs, closed after the test. */
async function dispatcher(
  targets: WebhookTarget[],
  overrides: Partial<NotificationDispatcherOptions> = {},
  start = true,
): Promise<{ dispatcher: NotificationDispatcher; registry: Registry; prefix: string }> {
  const registry = new Registry();
  const prefix = overrides.prefix ?? `{notify-test-${randomUUID()}}`;
  const created = new NotificationDispatcher({
    connection,
    prefix,
    targets,
    backoff: { baseMs: 50, maxMs: 200 },
    queueDepthIntervalMs: 100,
    onSnoozeExpired: async () => undefined,
    registry,
    logger: silentLogger(),
    ...overrides,
  });
  dispatchers.push(created);
  if (start) await created.start();
  return { dispatcher: created, registry, prefix };
}

function change(overrides: { id?: string; version?: number; severity?: Severity; type?: AlertChange['type'] } = {}): AlertChange {
  const now = Date.now();
  return {
    type: overrides.type ?? 'alert.raised',
    actor: 'rule:btc-above-100k',
    at: now,
    alert: {
      id: overrides.id ?? randomUUID(),
      ruleId: 'btc-above-100k',
      type: 'price_threshold',
      severity: overrides.severity ?? 'S2',
      labels: { rule: 'btc-above-100k', kind: 'price_threshold', symbol: 'BTC' },
      fingerprint: 'f'.repeat(16),
      annotations: { summary: 'BTC above 100000' },
      value: 100_500,
      startsAt: now,
      updatedAt: now,
      status: 'firing',
      version: overrides.version ?? 1,
    },
  };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const found = registry.getSingleMetric(name);
  if (!found) return 0;
  const { values } = await found.get();
  const match = values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return match?.value ?? 0;
}

/** Resolves once no delivery job is waiting, delayed or active: no further request can come. */
async function drained(target: NotificationDispatcher): Promise<void> {
  await waitFor(
    async () => {
      const depth = await target.refreshQueueDepth();
      return depth.waiting + depth.delayed + depth.active === 0;
    },
    { timeoutMs: 10_000, message: 'the notification queue did not drain' },
  );
}

const accepted = (hook: WebhookReceiver) => hook.requests.filter((request) => request.status === 200);

/**
 * A replica that takes delivery `jobId` and dies holding it (an OOM kill, a lost lock): a
 * BullMQ worker whose processor never returns, closed without completing the job once its
 * stall check has marked the job. Resolves when the job's lock is gone and the next stall
 * check may run, so the next worker to start finds the job stalled.
 */
async function dieHolding(prefix: string, jobId: string): Promise<void> {
  let onTaken: () => void = () => undefined;
  const taken = new Promise<void>((resolve) => (onTaken = resolve));
  const worker = new Worker(
    'alert-notifications',
    async () => {
      onTaken();
      await new Promise<never>(() => undefined);
    },
    { connection, prefix, lockDuration: 300, stalledInterval: 100 },
  );
  try {
    await taken;
    const key = `${prefix}:alert-notifications`;
    await waitFor(async () => (await connection.sismember(`${key}:stalled`, jobId)) === 1, { message: 'the job was not marked by the stall check' });
    await worker.close(true);
    await waitFor(async () => (await connection.exists(`${key}:${jobId}:lock`, `${key}:stalled-check`)) === 0, { message: 'the lock did not expire' });
  } finally {
    await worker.close(true);
  }
}

describe('NotificationDispatcher', () => {
  // Inside the outer describe so the connection closes before useRedis stops the server.
  beforeAll(() => {
    connection = createRedisConnection(parseRedisConfig(redis.server.env).main, { blocking: true, name: 'notifications-test' });
  });

  afterEach(async () => {
    for (const dispatcher of dispatchers.splice(0)) await dispatcher.close();
    for (const queue of queues.splice(0)) await queue.close();
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  afterAll(async () => {
    await connection.quit();
  });

  describe('webhook deliveries', () => {
    it('delivers a change exactly once, signed, to a receiver that fails twice before accepting', async () => {
      const hook = await receiver((_request, previous) => ({ status: previous < 2 ? 500 : 200 }));
      const { dispatcher: notifier, registry } = await dispatcher([target('ops', `${hook.url}/hook`, ['S2', 'S3'], { secret: SECRET })]);
      const sent = change({ severity: 'S2', version: 3 });

      const ids = await notifier.notify(sent);

      expect(ids).toEqual([`${sent.alert.id}:3:ops`]);
      await waitFor(() => accepted(hook).length === 1, { timeoutMs: 10_000 });
      await drained(notifier);
      expect(hook.requests.map((request) => request.status)).toEqual([500, 500, 200]);
      expect(hook.requests.map((request) => request.headers['x-rebal-attempt'])).toEqual(['1', '2', '3']);
      for (const request of hook.requests) {
        expect(request.path).toBe('/hook');
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['x-rebal-event']).toBe('alert.raised');
        expect(request.headers['x-rebal-delivery']).toBe(ids[0]);
        const timestamp = String(request.headers['x-rebal-timestamp']);
        const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex');
        expect(request.headers['x-rebal-signature']).toBe(`sha256=${expected}`);
        expect(Math.abs(Number(timestamp) * 1000 - request.at)).toBeLessThan(2_000);
        expect(verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp, signature: String(request.headers['x-rebal-signature']) })).toBe(true);
      }
      expect(JSON.parse(accepted(hook)[0].body)).toEqual({ type: sent.type, alert: sent.alert, actor: sent.actor, at: sent.at });
      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'ops', severity: 'S2' })).toBe(1);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'http_5xx' })).toBe(2);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'exhausted' })).toBe(0);
      const histogram = await registry.getSingleMetric('rebal_alert_notification_delivery_duration_seconds')?.get();
      const counts = histogram?.values.filter((value) => (value as { metricName?: string }).metricName === 'rebal_alert_notification_delivery_duration_seconds_count');
      expect(counts?.map((value) => [value.labels.outcome, value.value]).sort()).toEqual([
        ['failed', 2],
        ['sent', 1],
      ]);
    });

    it('does not retry a 400: one attempt, the job is kept in failed and counted', async () => {
      const hook = await receiver(() => ({ status: 400 }));
      const { dispatcher: notifier, registry } = await dispatcher([target('strict', `${hook.url}/in?token=do-not-leak`)]);
      const sent = change({ severity: 'S3', version: 7 });

      await notifier.notify(sent);

      const failed = await waitFor(async () => (await notifier.failedJobs()).at(0), { timeoutMs: 10_000 });
      await drained(notifier);
      expect(hook.requests).toHaveLength(1);
      expect(failed).toMatchObject({
        deliveryId: `${sent.alert.id}:7:strict`,
        target: 'strict',
        alertId: sent.alert.id,
        version: 7,
        type: 'alert.raised',
        severity: 'S3',
        attemptsMade: 1,
        failedReason: 'webhook strict: HTTP 400',
      });
      expect(failed.failedAt).toBeGreaterThanOrEqual(failed.enqueuedAt);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'strict', reason: 'http_4xx' })).toBe(1);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'strict', reason: 'exhausted' })).toBe(0);
      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'strict' })).toBe(0);
      // The periodic refresh reports the failed job in the queue depth gauge.
      await waitFor(async () => (await metric(registry, 'rebal_alert_notification_queue_depth', { state: 'failed' })) === 1, { timeoutMs: 5_000 });
    });

    it('waits as long as Retry-After asks after a 429, then delivers', async () => {
      const hook = await receiver((_request, previous) => (previous === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
      const { dispatcher: notifier, registry } = await dispatcher([target('limited', hook.url)]);

      await notifier.notify(change());

      await waitFor(() => accepted(hook).length === 1, { timeoutMs: 10_000 });
      await drained(notifier);
      expect(hook.requests.map((request) => request.status)).toEqual([429, 200]);
      const gap = hook.requests[1].at - hook.requests[0].at;
      // The backoff alone would wait at most 50 ms here: only Retry-After explains a 1 s gap.
      expect(gap).toBeGreaterThanOrEqual(950);
      expect(gap).toBeLessThan(5_000);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'limited', reason: 'http_4xx' })).toBe(1);
      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'limited' })).toBe(1);
    });

    it('delivers a change notified twice once, and each version of an alert once', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      // Completed jobs are removed at once, so only the deduplication key can stop a repeat.
      const { dispatcher: notifier, prefix } = await dispatcher([target('ops', hook.url)], { keepCompleted: { count: 0 } });
      const first = change({ version: 1 });
      const second = change({ id: first.alert.id, version: 2, type: 'alert.updated' });

      await Promise.all([notifier.notify(first), notifier.notify(first)]);
      await notifier.notify(second);
      await waitFor(() => accepted(hook).length === 2, { timeoutMs: 10_000 });
      await drained(notifier);
      expect(await connection.exists(`${prefix}:alert-notifications:${first.alert.id}:1:ops`)).toBe(0);

      // A redelivery after the job is gone is still recognised.
      await notifier.notify(first);
      await drained(notifier);

      expect(hook.requests.map((request) => request.headers['x-rebal-delivery']).sort()).toEqual([`${first.alert.id}:1:ops`, `${first.alert.id}:2:ops`]);
      expect(hook.requests.map((request) => JSON.parse(request.body).alert.version).sort()).toEqual([1, 2]);
    });

    it('sends a change only to the targets whose severities include the alert severity', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      const { dispatcher: notifier } = await dispatcher([
        target('critical', `${hook.url}/critical`, ['S3']),
        target('minor', `${hook.url}/minor`, ['S1', 'S2']),
        target('all', `${hook.url}/all`),
      ]);
      const critical = change({ severity: 'S3' });
      const info = change({ severity: 'S1' });

      expect(await notifier.notify(critical)).toEqual([`${critical.alert.id}:1:critical`, `${critical.alert.id}:1:all`]);
      expect(await notifier.notify(info)).toEqual([`${info.alert.id}:1:minor`, `${info.alert.id}:1:all`]);
      await waitFor(() => accepted(hook).length === 4, { timeoutMs: 10_000 });
      await drained(notifier);

      const seen = (path: string) => hook.requests.filter((request) => request.path === path).map((request) => JSON.parse(request.body).alert.severity).sort();
      expect(seen('/critical')).toEqual(['S3']);
      expect(seen('/minor')).toEqual(['S1']);
      expect(seen('/all')).toEqual(['S1', 'S3']);
    });

    it('counts a delivery that runs out of attempts as exhausted', async () => {
      const closedPort = await freePort();
      const { dispatcher: notifier, registry } = await dispatcher([target('gone', `http://127.0.0.1:${closedPort}/`)], { attempts: 2 });
      const sent = change();

      await notifier.notify(sent);

      const failed = await waitFor(async () => (await notifier.failedJobs(10)).at(0), { timeoutMs: 10_000 });
      expect(failed).toMatchObject({ deliveryId: `${sent.alert.id}:1:gone`, attemptsMade: 2 });
      expect(failed.failedReason).toMatch(/^webhook gone: network \(ECONNREFUSED\)$/);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'gone', reason: 'network' })).toBe(2);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'gone', reason: 'exhausted' })).toBe(1);
    });

    it('retries an attempt that timed out', async () => {
      const hook = await receiver((_request, previous) => (previous === 0 ? 'hold' : { status: 200 }));
      const { dispatcher: notifier, registry } = await dispatcher([target('slow', hook.url, ['S2'], { timeoutMs: 200 })]);

      await notifier.notify(change());

      await waitFor(() => accepted(hook).length === 1, { timeoutMs: 10_000 });
      await drained(notifier);
      expect(hook.requests).toHaveLength(2);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'slow', reason: 'timeout' })).toBe(1);
      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'slow', severity: 'S2' })).toBe(1);
    });

    it('finishes a delivery in flight before close() resolves, and closes idempotently', async () => {
      const hook = await receiver(() => 'hold');
      const { dispatcher: notifier, registry } = await dispatcher([target('held', hook.url)]);
      await notifier.notify(change());
      await waitFor(() => hook.requests.length === 1, { timeoutMs: 10_000 });

      let closed = false;
      const closing = notifier.close().then(() => {
        closed = true;
      });
      // Several Redis round trips later the worker is still waiting for the answer.
      for (let i = 0; i < 5; i++) await connection.ping();
      expect(closed).toBe(false);
      hook.release(200);
      await closing;
      await notifier.close();

      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'held' })).toBe(1);
      await expect(notifier.notify(change())).rejects.toMatchObject({ code: 'ERR_NOTIFICATION_CLOSED' });
      await expect(notifier.start()).rejects.toMatchObject({ code: 'ERR_NOTIFICATION_CLOSED' });
    });

    it('refuses an alert id that cannot be part of a delivery id', async () => {
      const { dispatcher: notifier } = await dispatcher([target('ops', 'http://127.0.0.1:1/')]);
      await expect(notifier.notify(change({ id: 'a:b' }))).rejects.toMatchObject({ code: 'ERR_NOTIFICATION_INVALID_INPUT' });
      await expect(notifier.notify(change({ version: -1 }))).rejects.toMatchObject({ code: 'ERR_NOTIFICATION_INVALID_INPUT' });
    });
  });

  describe('workers that die', () => {
    it('issue 11 item 24: delivers a change whose worker died twice while holding it, as attempt 3', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      const { dispatcher: notifier, prefix, registry } = await dispatcher([target('ops', hook.url)], {}, false);
      const sent = change({ severity: 'S2' });
      const id = (await notifier.notify(sent))[0] as string;

      await dieHolding(prefix, id);
      await dieHolding(prefix, id);
      await notifier.start();

      await waitFor(() => accepted(hook).length === 1, { timeoutMs: 10_000, message: 'the receiver got nothing' });
      await drained(notifier);
      expect(hook.requests.map((request) => [request.headers['x-rebal-delivery'], request.headers['x-rebal-attempt']])).toEqual([[id, '3']]);
      expect(await metric(registry, 'rebal_alert_notifications_sent_total', { target: 'ops', severity: 'S2' })).toBe(1);
      expect(await notifier.failedJobs()).toEqual([]);
    }, 30_000);

    it('issue 11 item 24: counts a delivery whose runs all stalled as exhausted, each stall counted', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      const { dispatcher: notifier, prefix, registry } = await dispatcher([target('ops', hook.url)], { attempts: 2 }, false);
      const id = (await notifier.notify(change()))[0] as string;

      await dieHolding(prefix, id);
      await dieHolding(prefix, id);
      await notifier.start();

      const failed = await waitFor(async () => (await notifier.failedJobs()).at(0), { timeoutMs: 10_000, message: 'the delivery did not fail' });
      expect(failed.deliveryId).toBe(id);
      expect(hook.requests).toHaveLength(0);
      await waitFor(async () => (await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'exhausted' })) === 1, {
        timeoutMs: 5_000,
        message: 'the give-up was not counted as exhausted',
      });
      // The second stall, found by this dispatcher's stall check (the first was found by a dying worker, which counts nothing).
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'stalled' })).toBe(1);
    }, 30_000);
  });

  describe('configuration changes', () => {
    it("issue 11 suspected: a job queued for a target whose severities no longer include the alert's is not sent", async () => {
      const hook = await receiver(() => ({ status: 200 }));
      const prefix = `{notify-test-${randomUUID()}}`;
      const { dispatcher: before } = await dispatcher([target('ops', hook.url, ['S2', 'S3'])], { prefix }, false);
      await before.notify(change({ severity: 'S2' }));
      await before.notify(change({ severity: 'S3' }));

      const { dispatcher: after, registry } = await dispatcher([target('ops', hook.url, ['S3'])], { prefix });

      const failed = await waitFor(async () => (await after.failedJobs()).at(0), { timeoutMs: 10_000 });
      await drained(after);
      expect(failed).toMatchObject({ severity: 'S2', attemptsMade: 1, failedReason: 'webhook ops: no longer takes S2 alerts' });
      expect(hook.requests.map((request) => JSON.parse(request.body).alert.severity)).toEqual(['S3']);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'not_subscribed' })).toBe(1);
      expect(await metric(registry, 'rebal_alert_notifications_failed_total', { target: 'ops', reason: 'exhausted' })).toBe(0);
    }, 30_000);
  });

  describe('snooze expiry', () => {
    it('calls onSnoozeExpired once, after the delay, for a snooze scheduled twice', async () => {
      const calls: Array<{ alertId: string; version: number; at: number }> = [];
      const { dispatcher: notifier, prefix, registry } = await dispatcher([], {
        onSnoozeExpired: async (alertId, version) => {
          calls.push({ alertId, version, at: Date.now() });
        },
      });
      const alertId = randomUUID();
      const untilMs = Date.now() + 400;

      await notifier.scheduleSnoozeExpiry(alertId, untilMs, 4);
      await notifier.scheduleSnoozeExpiry(alertId, untilMs, 4);

      await waitFor(() => calls.length === 1, { timeoutMs: 10_000 });
      expect(calls[0]).toMatchObject({ alertId, version: 4 });
      expect(calls[0].at).toBeGreaterThanOrEqual(untilMs - 5);
      const snoozeQueue = new Queue('alert-snooze-expiry', { connection, prefix });
      queues.push(snoozeQueue);
      await waitFor(async () => {
        const counts = await snoozeQueue.getJobCounts('waiting', 'delayed', 'active', 'completed');
        return counts.completed === 1 && counts.waiting + counts.delayed + counts.active === 0;
      });
      expect(calls).toHaveLength(1);
      expect(await metric(registry, 'rebal_alert_snooze_expiries_total', { outcome: 'fired' })).toBe(1);
    });

    it('retries a snooze expiry whose callback failed', async () => {
      let calls = 0;
      const { dispatcher: notifier, registry } = await dispatcher([], {
        onSnoozeExpired: async () => {
          calls += 1;
          if (calls === 1) throw new Error('store unavailable');
        },
      });

      await notifier.scheduleSnoozeExpiry(randomUUID(), Date.now() - 1_000, 2);

      await waitFor(async () => (await metric(registry, 'rebal_alert_snooze_expiries_total', { outcome: 'fired' })) === 1, { timeoutMs: 10_000 });
      expect(calls).toBe(2);
      expect(await metric(registry, 'rebal_alert_snooze_expiries_total', { outcome: 'failed' })).toBe(1);
    });
  });
});
