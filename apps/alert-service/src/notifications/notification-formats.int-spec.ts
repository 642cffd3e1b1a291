import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { AlertChange } from '../alerts';
import type { NotificationFormat } from './formats/notification-format';
import { NotificationDispatcher } from './notification-dispatcher';
import { HOSTILE_TEXT, hostileChange, oversizedChange, resolvedChange } from './testing/alert-changes';
import { FORMAT_VALIDATORS } from './testing/format-validators';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './testing/start-webhook-receiver';
import { webhookPayload } from './webhook-payload';
import { verifyWebhookSignature } from './webhook-signature';
import type { WebhookTarget } from './webhook-target';

// Each format through the real dispatcher (BullMQ on a real Redis) to a local receiver that
// checks every body against the receiving service's public documentation (testing/format-validators.ts)
// and answers as that service does: 2xx when valid, 400 otherwise.

const redis = useRedis();
const SECRET = 'format-test-signing-secret';
const BOT_TOKEN = '123456789:AAH-format-test-bot-token';

/** What each service answers to a valid request: Discord 204 (without `?wait=true`), the others 200. */
const SUCCESS: Readonly<Record<NotificationFormat, number>> = { generic: 200, alertmanager: 200, slack: 200, discord: 204, telegram: 200 };

let connection: RedisConnection;
const dispatchers: NotificationDispatcher[] = [];
const receivers: WebhookReceiver[] = [];

interface Checked {
  request: ReceivedWebhook;
  body: Record<string, unknown>;
  problems: string[];
}

/** A receiver that validates every request as `format` and answers like the real service. */
async function validatingReceiver(format: NotificationFormat, answer?: (request: ReceivedWebhook) => number | undefined): Promise<{ hook: WebhookReceiver; checked: Checked[] }> {
  const checked: Checked[] = [];
  const hook = await startWebhookReceiver((request) => {
    let body: Record<string, unknown> = {};
    let problems: string[];
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
      problems = FORMAT_VALIDATORS[format](body);
    } catch {
      problems = ['body is not JSON'];
    }
    if (request.headers['content-type'] !== 'application/json') problems.push(`content-type ${String(request.headers['content-type'])}`);
    checked.push({ request, body, problems });
    return { status: answer?.(request) ?? (problems.length > 0 ? 400 : SUCCESS[format]) };
  });
  receivers.push(hook);
  return { hook, checked };
}

/** A started dispatcher for `targets` with its own key prefix, registry and a logger whose lines land in `logs`. */
async function dispatcher(targets: WebhookTarget[]): Promise<{ notifier: NotificationDispatcher; registry: Registry; logs: string[] }> {
  const registry = new Registry();
  const logs: string[] = [];
  const notifier = new NotificationDispatcher({
    connection,
    prefix: `{notify-format-${randomUUID()}}`,
    targets,
    attempts: 2,
    backoff: { baseMs: 20, maxMs: 50 },
    queueDepthIntervalMs: 100,
    onSnoozeExpired: async () => undefined,
    registry,
    logger: pino({ level: 'debug' }, { write: (line: string) => logs.push(line) }),
  });
  dispatchers.push(notifier);
  await notifier.start();
  return { notifier, registry, logs };
}

async function sentCount(registry: Registry, target: string): Promise<number> {
  const values = (await registry.getSingleMetric('rebal_alert_notifications_sent_total')?.get())?.values ?? [];
  return values.filter((value) => value.labels['target'] === target).reduce((sum, value) => sum + value.value, 0);
}

/** Resolves once no delivery is waiting, delayed or active. */
async function drained(notifier: NotificationDispatcher): Promise<void> {
  await waitFor(
    async () => {
      const depth = await notifier.refreshQueueDepth();
      return depth.waiting + depth.delayed + depth.active === 0;
    },
    { timeoutMs: 10_000, message: 'the notification queue did not drain' },
  );
}

/** Notifies `changes`, waits until `checked` holds `count` requests and the queue is empty, and expects every one valid. */
async function deliver(notifier: NotificationDispatcher, changes: AlertChange[], checked: Checked[], count: number): Promise<void> {
  for (const change of changes) await notifier.notify(change);
  await waitFor(() => checked.length >= count, { timeoutMs: 15_000, message: () => `${count} requests (got ${checked.length})` });
  await drained(notifier);
  expect(checked.flatMap(({ request, problems }) => problems.map((problem) => `${request.path}: ${problem}`))).toEqual([]);
  expect(checked).toHaveLength(count);
}

describe('notification formats through the dispatcher', () => {
  beforeAll(() => {
    connection = createRedisConnection(parseRedisConfig(redis.server.env).main, { blocking: true, name: 'notification-formats-test' });
  });

  afterEach(async () => {
    for (const notifier of dispatchers.splice(0)) await notifier.close();
    for (const hook of receivers.splice(0)) await hook.close();
  });

  afterAll(async () => {
    await connection.quit();
  });

  const hostile = hostileChange();
  const changes = [hostile, resolvedChange(hostile), oversizedChange()];

  it('generic: delivers the documented {type, alert, actor, at}, signed', async () => {
    const { hook, checked } = await validatingReceiver('generic');
    const { notifier, registry } = await dispatcher([{ name: 'generic', url: `${hook.url}/generic`, secret: SECRET, severities: ['S1', 'S2', 'S3'] }]);

    await deliver(notifier, changes, checked, 3);

    expect(checked.map(({ body }) => body)).toEqual(expect.arrayContaining(changes.map((change) => JSON.parse(JSON.stringify(webhookPayload(change))))));
    for (const { request } of checked) {
      const signed = { secret: SECRET, body: request.body, timestamp: String(request.headers['x-rebal-timestamp']), signature: String(request.headers['x-rebal-signature']) };
      expect(verifyWebhookSignature(signed)).toBe(true);
    }
    expect(await sentCount(registry, 'generic')).toBe(3);
  }, 30_000);

  it('alertmanager: delivers version 4 bodies an Alertmanager receiver takes, resolved with endsAt, signed when a secret is set', async () => {
    const { hook, checked } = await validatingReceiver('alertmanager');
    const { notifier, registry } = await dispatcher([{ name: 'am-relay', url: `${hook.url}/alertmanager`, format: 'alertmanager', secret: SECRET, severities: ['S1', 'S2', 'S3'] }]);

    await deliver(notifier, changes, checked, 3);

    const bodies = checked.map(({ body }) => body) as Array<{ status: string; receiver: string; groupKey: string; alerts: Array<{ status: string; endsAt: string; labels: Record<string, string> }> }>;
    const [raised, resolved] = [hostile, changes[1] as AlertChange].map((change) => bodies.find((body) => body.alerts[0]?.labels['note'] === change.alert.labels['note'] && body.status === (change.alert.status === 'resolved' ? 'resolved' : 'firing')));
    expect(raised).toMatchObject({ status: 'firing', receiver: 'am-relay', alerts: [{ status: 'firing', endsAt: '0001-01-01T00:00:00Z' }] });
    expect(resolved).toMatchObject({ status: 'resolved', alerts: [{ status: 'resolved', endsAt: '2026-03-01T12:01:00.000Z' }] });
    expect(resolved?.groupKey).toBe(raised?.groupKey);
    // JSON carries any label value as it is: nothing to escape.
    expect(raised?.alerts[0]?.labels['note']).toBe(HOSTILE_TEXT);
    for (const { request } of checked) {
      expect(request.headers['x-rebal-event']).toMatch(/^alert\./);
      const signed = { secret: SECRET, body: request.body, timestamp: String(request.headers['x-rebal-timestamp']), signature: String(request.headers['x-rebal-signature']) };
      expect(verifyWebhookSignature(signed)).toBe(true);
    }
    expect(await sentCount(registry, 'am-relay')).toBe(3);
  }, 30_000);

  it('slack: delivers Block Kit messages with every label escaped, coloured by severity, unsigned', async () => {
    const { hook, checked } = await validatingReceiver('slack');
    const { notifier, registry } = await dispatcher([{ name: 'slack', url: `${hook.url}/services/T000/B000/slack`, format: 'slack', severities: ['S1', 'S2', 'S3'] }]);

    await deliver(notifier, changes, checked, 3);

    for (const { request } of checked) {
      expect(request.body).not.toContain('<!channel>');
      expect(request.headers['x-rebal-signature']).toBeUndefined();
    }
    const colors = checked.map(({ body }) => (body as { attachments: Array<{ color: string }> }).attachments[0]?.color).sort();
    expect(colors).toEqual(['#2e7d32', '#d32f2f', '#f57c00']);
    expect(checked.some(({ request }) => request.body.includes('&lt;!channel&gt;'))).toBe(true);
    expect(await sentCount(registry, 'slack')).toBe(3);
  }, 30_000);

  it('discord: delivers Execute Webhook bodies within its limits that can mention no one', async () => {
    const { hook, checked } = await validatingReceiver('discord');
    const { notifier, registry } = await dispatcher([{ name: 'discord', url: `${hook.url}/api/webhooks/1/discord-token`, format: 'discord', severities: ['S1', 'S2', 'S3'] }]);

    await deliver(notifier, changes, checked, 3);

    for (const { body } of checked) expect(body['allowed_mentions']).toEqual({ parse: [] });
    const colors = checked.map(({ body }) => (body as { embeds: Array<{ color: number }> }).embeds[0]?.color).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(colors).toEqual([0x2e7d32, 0xd32f2f, 0xf57c00].sort((a, b) => a - b));
    expect(checked.some(({ request }) => request.body.includes('\\\\[claim\\\\]\\\\(https://evil.example\\\\)'))).toBe(true);
    expect(checked.map(({ request }) => request.status)).toEqual([204, 204, 204]);
    expect(await sentCount(registry, 'discord')).toBe(3);
  }, 30_000);

  it('telegram: delivers sendMessage calls in HTML and MarkdownV2 to /bot<token>/sendMessage, and never logs the token', async () => {
    const { hook, checked } = await validatingReceiver('telegram', (request) => (request.path.startsWith('/revoked/') ? 401 : undefined));
    const { notifier, registry, logs } = await dispatcher([
      { name: 'tg.html', url: `${hook.url}/bot${BOT_TOKEN}/sendMessage`, format: 'telegram', chatId: -1001234567890, severities: ['S1', 'S2', 'S3'] },
      { name: 'tg.md', url: `${hook.url}/md/bot${BOT_TOKEN}/sendMessage`, format: 'telegram', chatId: '@rebal_alerts', parseMode: 'MarkdownV2', severities: ['S1', 'S2', 'S3'] },
    ]);

    await deliver(notifier, changes, checked, 6);

    const sent = (path: string) => checked.filter(({ request }) => request.path === path).map(({ body }) => body);
    expect(sent(`/bot${BOT_TOKEN}/sendMessage`)).toEqual(Array(3).fill(expect.objectContaining({ chat_id: -1001234567890, parse_mode: 'HTML', disable_web_page_preview: true })));
    expect(sent(`/md/bot${BOT_TOKEN}/sendMessage`)).toEqual(Array(3).fill(expect.objectContaining({ chat_id: '@rebal_alerts', parse_mode: 'MarkdownV2' })));
    expect(await sentCount(registry, 'tg.html')).toBe(3);
    expect(await sentCount(registry, 'tg.md')).toBe(3);

    // A refused delivery (a revoked token answers 401) is kept and logged without the token.
    const { notifier: revoked, logs: revokedLogs } = await dispatcher([
      { name: 'tg.revoked', url: `${hook.url}/revoked/bot${BOT_TOKEN}/sendMessage`, format: 'telegram', chatId: 1, severities: ['S2'] },
    ]);
    await revoked.notify(hostileChange());
    const failed = await waitFor(async () => (await revoked.failedJobs()).at(0), { timeoutMs: 10_000 });
    expect(failed.failedReason).toBe('webhook tg.revoked: HTTP 401');
    await waitFor(() => revokedLogs.some((line) => line.includes('webhook delivery refused')), { timeoutMs: 5_000 });
    expect(logs.length).toBeGreaterThan(0);
    for (const line of [...logs, ...revokedLogs]) expect(line).not.toContain(BOT_TOKEN.split(':')[1]);
  }, 30_000);
});
