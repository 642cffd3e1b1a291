// The live dashboard in a real headless Chromium, against the built gateway and alert
// service running as processes on a real Redis: what a user sees and clicks.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createEvent, createRedisConnection, parseRedisConfig, StreamPublisher, type RedisConnection } from '@rebal/redis-client';
import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Registry } from 'prom-client';
import { AlertApiClient, buildApp, BuiltService, launchChromium, mintToken, PageProblems, snapshotBuild, type AlertJson } from './support';

/** Building two apps and starting Chromium on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 240_000;
/** How long a published price may take to show in the page. */
const PRICE_DEADLINE_MS = 2_000;
const SUBJECT = 'e2e-browser';

/** A symbol no other test or simulator publishes. */
function uniqueSymbol(): string {
  return `E2E${randomBytes(5).toString('hex').toUpperCase()}`;
}

describe('the live dashboard in Chromium', () => {
  const secret = randomBytes(32).toString('base64url');
  let redis: RedisTestServer | undefined;
  let gateway: BuiltService | undefined;
  let alertService: BuiltService | undefined;
  let connection: RedisConnection | undefined;
  let publisher: StreamPublisher;
  let api: AlertApiClient;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let problems: PageProblems;
  /** Copies of the builds the services run from (see snapshotBuild). */
  const snapshots: string[] = [];
  /** `GET <path> <status>` of every alert API response the page got. */
  const alertApiResponses: string[] = [];

  /** The element with `data-testid=<testId>` once its `attribute` equals `value`. */
  const withAttribute = (testId: string, attribute: string, value: string) => page.locator(`[data-testid="${testId}"][${attribute}="${value}"]`);
  const publishPrice = (symbol: string, price: number) =>
    publisher.publish('market_data', createEvent({ type: 'price_update', source: '/e2e-test', subject: symbol, data: { symbol, price, currency: 'USD' } }));

  beforeAll(async () => {
    redis = await startRedis();
    // One after the other: both run esbuild, and the machine has 2 cores. Each runs from a
    // copy of its build, which nobody else's rebuild of dist/apps can pull from under it.
    await buildApp('streaming-gateway');
    const gatewayDir = snapshotBuild('streaming-gateway');
    await buildApp('alert-service');
    const alertServiceDir = snapshotBuild('alert-service');
    snapshots.push(gatewayDir, alertServiceDir);
    const run = randomBytes(3).toString('hex');
    gateway = await BuiltService.start({
      app: 'streaming-gateway',
      appDir: gatewayDir,
      env: { REDIS_URL: redis.url, AUTH_JWT_SECRET: secret, DASHBOARD_DIR: join(gatewayDir, 'dashboard'), INSTANCE_ID: `e2e-gateway-${run}` },
    });
    alertService = await BuiltService.start({
      app: 'alert-service',
      appDir: alertServiceDir,
      // The page is served by the gateway: its origin calls the API. No seed rules: only the test's rules raise alerts.
      env: { REDIS_URL: redis.url, AUTH_JWT_SECRET: secret, CORS_ORIGINS: gateway.url, INSTANCE_ID: `e2e-alerts-${run}`, ALERT_SEED: 'false' },
    });
    const token = await mintToken(secret, { subject: SUBJECT });
    api = new AlertApiClient(`${alertService.url}/api/v1`, token);
    connection = createRedisConnection(parseRedisConfig({ REDIS_URL: redis.url }).main, { name: 'e2e-publisher' });
    publisher = new StreamPublisher({ redis: connection, registry: new Registry() });
    await connection.ping(); // connected before any latency is measured

    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    problems = new PageProblems(page);
    const apiBase = `${alertService.url}/api/v1`;
    page.on('response', (response) => {
      if (response.url().startsWith(apiBase)) alertApiResponses.push(`${response.request().method()} ${response.url().slice(apiBase.length)} ${response.status()}`);
    });
    await page.goto(`${gateway.url}/?token=${token}&alertApi=${alertService.url}/api/v1`);
    await withAttribute('connection-state', 'data-ready', 'true').waitFor({ state: 'attached', timeout: 30_000 });
  }, SETUP_TIMEOUT_MS);

  afterEach(() => {
    const seen = problems?.take() ?? [];
    if (seen.length > 0) throw new Error(`the page reported ${seen.length} problem(s):\n${seen.join('\n')}`);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await connection?.quit().catch(() => undefined);
    await Promise.all([gateway?.stop(), alertService?.stop()]);
    await redis?.dispose();
    for (const dir of snapshots) rmSync(dirname(dir), { recursive: true, force: true });
  }, 60_000);

  it('connects, subscribes to every channel and loads the active alerts from the alert API across origins', async () => {
    const state = page.getByTestId('connection-state');
    expect(await state.getAttribute('data-state')).toBe('authenticated');
    expect((await state.getAttribute('data-subscribed'))?.split(' ').sort()).toEqual(['alerts', 'market_data', 'risk_events']);
    // One list call per active status, each answered 200 to the gateway's origin (CORS_ORIGINS).
    const listCalls = () => alertApiResponses.filter((r) => r.startsWith('GET /alerts?'));
    await waitFor(() => listCalls().length >= 3, { timeoutMs: 10_000, message: () => `3 alert list calls (got ${alertApiResponses.join(', ') || 'none'})` });
    const answered = listCalls().map((call) => {
      const [, path = '', status] = call.split(' ');
      return `${new URL(path, 'http://api').searchParams.get('status')} ${status}`;
    });
    expect(answered.sort()).toEqual(['acknowledged 200', 'firing 200', 'snoozed 200']);
    expect(await page.getByTestId('alerts-error').isHidden()).toBe(true);
    expect(await page.getByTestId('alerts-empty').isVisible()).toBe(true);
  });

  it(`shows a price published to market_data in the symbol's row within ${PRICE_DEADLINE_MS} ms`, async () => {
    const symbol = uniqueSymbol();
    const publishedAt = Date.now();
    await publishPrice(symbol, 123.45);
    await withAttribute(`price-${symbol}`, 'data-price', '123.45').waitFor({ state: 'visible', timeout: Math.max(1, PRICE_DEADLINE_MS - (Date.now() - publishedAt)) });
    const latencyMs = Date.now() - publishedAt;
    expect(latencyMs).toBeLessThan(PRICE_DEADLINE_MS);
    expect(await page.getByTestId(`price-${symbol}-value`).textContent()).toContain('123.45');

    // The next price updates the same row and shows the direction.
    await publishPrice(symbol, 130);
    await withAttribute(`price-${symbol}`, 'data-price', '130').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId(`price-${symbol}`).getAttribute('data-direction')).toBe('up');
    expect(await page.getByTestId(`price-${symbol}`).count()).toBe(1);
  });

  it('shows an alert raised by a rule, and its Acknowledge, Snooze and Resolve buttons change it in the page and in the API', async () => {
    const symbol = uniqueSymbol();
    const ruleId = `e2e-${symbol.toLowerCase()}-above`;
    await api.createRule({
      id: ruleId,
      name: `e2e: ${symbol} above 100`,
      kind: 'price_threshold',
      symbol,
      direction: 'above',
      severities: { S2: 100 },
      annotations: { summary: `${symbol} at {{price}}, above {{threshold}}` },
    });
    // A crossing price, again every round until the alert exists: the service applies a new
    // rule from its next rules check, which a price evaluated at that very moment may miss.
    const alert: AlertJson = await waitFor(
      async () => {
        const [found] = await api.listAlerts({ label: `rule=${ruleId}` });
        if (!found) await publishPrice(symbol, 150);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: `an alert of rule ${ruleId}` },
    );
    const id = alert.id;

    await withAttribute(`alert-${id}`, 'data-status', 'firing').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId(`alert-${id}`).getAttribute('data-severity')).toBe('S2');
    expect(await page.getByTestId(`alert-${id}-summary`).textContent()).toBe(`${symbol} at 150, above 100`);

    await page.getByTestId(`ack-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'acknowledged').waitFor({ timeout: 10_000 });
    expect(await api.getAlert(id)).toEqual(expect.objectContaining({ status: 'acknowledged', acknowledgedBy: `user:${SUBJECT}` }));
    expect(await page.getByTestId(`ack-${id}`).isDisabled()).toBe(true);

    await page.getByTestId(`snooze-minutes-${id}`).selectOption('30');
    const snoozedAt = Date.now();
    await page.getByTestId(`snooze-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'snoozed').waitFor({ timeout: 10_000 });
    const snoozed = await api.getAlert(id);
    expect(snoozed.status).toBe('snoozed');
    expect(Math.abs(Date.parse(snoozed.snoozedUntil ?? '') - (snoozedAt + 30 * 60_000))).toBeLessThan(60_000);

    await page.getByTestId(`resolve-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'resolved').waitFor({ timeout: 10_000 });
    expect((await api.getAlert(id)).status).toBe('resolved');
    for (const button of ['ack', 'snooze', 'resolve']) expect(await page.getByTestId(`${button}-${id}`).isDisabled()).toBe(true);
    await page.getByTestId('alerts-empty').waitFor({ state: 'visible', timeout: 5_000 });
  }, 90_000);

  it("shows a service's reported health from system_status events", async () => {
    const service = `e2e-probe-${randomBytes(4).toString('hex')}`;
    const report = (status: 'healthy' | 'degraded' | 'down', reason: string) =>
      publisher.publish('risk_events', createEvent({ type: 'system_status', source: '/e2e-test', subject: service, data: { service, instance: 'probe-1', status, reason } }));

    await report('degraded', 'e2e: 1 of 2 replicas up');
    await withAttribute(`health-${service}`, 'data-status', 'degraded').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId(`health-${service}`).textContent()).toContain('e2e: 1 of 2 replicas up');

    await report('healthy', 'e2e: all replicas up');
    await withAttribute(`health-${service}`, 'data-status', 'healthy').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId('health-empty').isHidden()).toBe(true);
  });
});
