// The SDK in a real headless Chromium against the built gateway: a page that reloads while
// prices flow resumes where it stopped, because the SDK keeps its session and last ids in
// sessionStorage and resubscribes with them as `since`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEvent, createRedisConnection, parseRedisConfig, StreamPublisher, type RedisConnection } from '@rebal/redis-client';
import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { Registry } from 'prom-client';
import { buildApp, BuiltService, launchChromium, mintToken, PageProblems, REPO_ROOT, snapshotBuild } from './support';

/** Building the gateway and starting Chromium on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 240_000;

/** The test page: the SDK bundle, and a script that logs every delivered id in sessionStorage. */
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>SDK reload</title><script src="sdk.js"></script><script src="page.js"></script>';
const PAGE_SCRIPT = `
const params = new URLSearchParams(location.search);
const read = (key) => JSON.parse(sessionStorage.getItem(key) || '[]');
const append = (key, value) => sessionStorage.setItem(key, JSON.stringify([...read(key), value]));
append('test:loads', Date.now());
const client = new RebalGateway.GatewayClient({ url: 'ws://' + location.host + '/ws', token: params.get('token') });
client.on('message', (channel, id) => append('test:ids', id));
client.on('recovered', (channel, recovered, reason) => append('test:recovered', [read('test:loads').length, recovered, reason || null]));
client.connect();
client.subscribe(params.get('channel'));
`;

describe('the SDK in Chromium', () => {
  const secret = randomBytes(32).toString('base64url');
  const pageDir = mkdtempSync(join(tmpdir(), 'sdk-reload-page-'));
  let redis: RedisTestServer | undefined;
  let gateway: BuiltService | undefined;
  let gatewayDir: string | undefined;
  let connection: RedisConnection | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    redis = await startRedis();
    await build({
      entryPoints: [join(REPO_ROOT, 'libs/gateway-client/src/index.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'RebalGateway',
      platform: 'browser',
      target: 'es2020',
      outfile: join(pageDir, 'sdk.js'),
      logLevel: 'silent',
    });
    writeFileSync(join(pageDir, 'index.html'), PAGE_HTML);
    writeFileSync(join(pageDir, 'page.js'), PAGE_SCRIPT);
    await buildApp('streaming-gateway');
    gatewayDir = snapshotBuild('streaming-gateway');
    gateway = await BuiltService.start({
      app: 'streaming-gateway',
      appDir: gatewayDir,
      env: { REDIS_URL: redis.url, AUTH_JWT_SECRET: secret, DASHBOARD_DIR: pageDir, INSTANCE_ID: `e2e-sdk-reload-${randomBytes(3).toString('hex')}` },
    });
    connection = createRedisConnection(parseRedisConfig({ REDIS_URL: redis.url }).main, { name: 'e2e-publisher' });
    await connection.ping();
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    problems = new PageProblems(page);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await connection?.quit().catch(() => undefined);
    await gateway?.stop();
    await redis?.dispose();
    rmSync(pageDir, { recursive: true, force: true });
    if (gatewayDir !== undefined) rmSync(dirname(gatewayDir), { recursive: true, force: true });
  }, 60_000);

  const stored = async <T>(key: string): Promise<T[]> => page.evaluate((name) => JSON.parse(sessionStorage.getItem(name) ?? '[]') as unknown[], key) as Promise<T[]>;

  it('resumes after a page reload with no gap and no duplicate while prices flow', async () => {
    const symbol = `RLD${randomBytes(4).toString('hex').toUpperCase()}`;
    const channel = `market_data:${symbol}`;
    const token = await mintToken(secret, { channels: ['market_data:*'] });
    await page.goto(`${gateway?.url}/?token=${token}&channel=${encodeURIComponent(channel)}`);
    await waitFor(async () => (await stored('test:recovered')).length === 1, { timeoutMs: 30_000, message: 'the first subscription' });

    const publisher = new StreamPublisher({ redis: connection as RedisConnection, registry: new Registry() });
    const published: string[] = [];
    let publishing = true;
    // About 100 prices a second, before, during and after the reload.
    const flow = (async () => {
      for (let n = 0; publishing && n < 2_000; n++) {
        published.push(await publisher.publish('market_data', createEvent({ type: 'price_update', source: '/e2e-test', subject: symbol, data: { symbol, price: 100 + n, currency: 'USD' } })));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      await waitFor(async () => (await stored('test:ids')).length >= 30, { timeoutMs: 15_000, message: 'prices before the reload' });
      await page.reload();
      await waitFor(async () => (await stored<number>('test:loads')).length === 2 && (await stored('test:recovered')).length === 2, { timeoutMs: 30_000, message: 'the resubscription after the reload' });
      const afterReload = published.length;
      await waitFor(() => published.length >= afterReload + 30, { timeoutMs: 15_000, message: 'prices after the reload' });
    } finally {
      publishing = false;
      await flow;
    }

    let received = 0;
    await waitFor(async () => (received = (await stored('test:ids')).length) >= published.length, {
      timeoutMs: 15_000,
      message: () => `every price in the page (${received} of ${published.length})`,
    });
    // Every price published from the first subscription on, once each, in order, across the reload.
    expect(await stored('test:ids')).toEqual(published);
    // The first load subscribed fresh; the reloaded page resumed from the positions the SDK had kept.
    expect(await stored('test:recovered')).toEqual([
      [1, false, 'no_position'],
      [2, true, null],
    ]);
    expect(problems.take()).toEqual([]);
  }, 120_000);
});
