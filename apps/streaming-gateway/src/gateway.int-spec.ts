import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';
import { CHANNEL_STREAMS } from './channels';
import type { StreamingGateway } from './gateway';
import { GatewayCloseCode } from '@rebal/gateway-client';
import { alertEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from './test/gateway-test-kit';
import { TestClient } from './test/test-client';

async function groupsOf(redis: RedisConnection, key: string): Promise<string[]> {
  const reply = (await redis.xinfo('GROUPS', key)) as unknown[][];
  return reply.map((row) => String(row[row.indexOf('name') + 1]));
}

describe('the streaming gateway service', () => {
  const prefix = uniquePrefix();
  const dashboardDir = mkdtempSync(join(tmpdir(), 'gateway-dashboard-'));
  let gateway: StreamingGateway;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await gateway?.close();
    await redis?.quit();
    rmSync(dashboardDir, { recursive: true, force: true });
  });
  const redisServer = useRedis();

  beforeAll(async () => {
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Rebal dashboard</title>');
    redis = await testRedis(redisServer.server);
    ({ gateway } = await startTestGateway(redisServer.server, {
      prefix,
      instanceId: 'service-one',
      limits: { heartbeatIntervalMs: 150 },
      env: { DASHBOARD_DIR: dashboardDir },
    }));
  });

  const url = (path: string) => `http://127.0.0.1:${gateway.port}${path}`;

  it('answers /livez, /readyz and /metrics, with the fan-out lag of its own group', async () => {
    expect((await fetch(url('/livez'))).status).toBe(200);
    await waitFor(() => gateway.readiness().ready);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ready', consumers: 'running' } });
    await waitFor(async () => /rebal_consumer_lag\{[^}]*group="gateway\.service-one"/.test(await (await fetch(url('/metrics'))).text()), { timeoutMs: 15_000 });
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toContain('rebal_gateway_connections');
    expect(metrics).toContain('rebal_gateway_delivery_latency_seconds');
    // Process metrics too (CPU, memory, event loop lag, open file descriptors), as on every service.
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });

  it('serves the dashboard at /', async () => {
    const response = await fetch(url('/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Rebal dashboard');
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/other`);
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    expect(error.message).toContain('404');
  });

  it('owns group gateway.<instance> on every client-facing stream and publishes heartbeats', async () => {
    for (const stream of CHANNEL_STREAMS) expect(await groupsOf(redis, streamKey(stream, prefix))).toContain('gateway.service-one');
    await waitFor(async () => {
      const entries = (await redis.xrange(streamKey('service_heartbeats', prefix), '-', '+')) as Array<[string, string[]]>;
      return entries.some(([, fields]) => fields.includes('streaming-gateway') && fields.some((value) => value.includes('"instance":"service-one"')));
    });
  });

  it('pings clients and terminates one that stops answering', async () => {
    const deaf = new WebSocket(`ws://127.0.0.1:${gateway.port}/ws`, { autoPong: false });
    const closed = new Promise<number>((resolve) => deaf.once('close', resolve));
    const lively = await TestClient.connect(gateway.port);
    clients.push(lively);
    await lively.auth(await testToken(['alerts']));
    expect(await closed).toBe(1006);
    // The answering client outlived several ping intervals.
    lively.send({ op: 'ping', id: 'alive' });
    expect(await lively.reply('alive')).toMatchObject({ type: 'pong' });
  });

  it('shuts down gracefully: clients get 1001, its groups are deleted, new connections are refused', async () => {
    const client = await TestClient.connect(gateway.port);
    clients.push(client);
    await client.auth(await testToken(['alerts']));
    await client.subscribe(['alerts']);
    await publishEvents(redis, prefix, 'alerts', [alertEvent('before-shutdown')]);
    await waitFor(() => client.idsOf('alerts').length === 1);
    const port = gateway.port;
    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await client.closed).code).toBe(GatewayCloseCode.GoingAway);
    for (const stream of CHANNEL_STREAMS) expect(await groupsOf(redis, streamKey(stream, prefix))).not.toContain('gateway.service-one');
    await expect(TestClient.connect(port)).rejects.toThrow();
    await gateway.close();
  });
});
