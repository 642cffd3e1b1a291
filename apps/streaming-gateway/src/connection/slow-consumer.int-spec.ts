import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { Registry } from 'prom-client';
import type { Socket } from 'node:net';
import type { StreamingGateway } from '../gateway';
import { GatewayCloseCode } from '@rebal/gateway-client';
import { PROTOCOL_DEFAULTS } from '../protocol';
import { portfolioEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from '../test/gateway-test-kit';
import { TestClient } from '../test/test-client';

/** The raw socket under a `ws` client, to stop reading from it. */
function socketOf(client: TestClient): Socket {
  return (client.ws as unknown as { _socket: Socket })._socket;
}

async function disconnects(registry: Registry, code: number): Promise<number> {
  const metric = await registry.getSingleMetric('rebal_gateway_disconnects_total')?.get();
  return metric?.values.find((value) => value.labels['code'] === String(code))?.value ?? 0;
}

describe('a client that stops reading', () => {
  const prefix = uniquePrefix();
  let gateway: StreamingGateway;
  let registry: Registry;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await gateway?.close();
    await redis?.quit();
  });
  const redisServer = useRedis();

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    ({ gateway, registry } = await startTestGateway(redisServer.server, { prefix }));
  });

  it('is closed with 4009 while the others keep receiving promptly, and its buffer stays bounded', async () => {
    const token = await testToken(['portfolio_updates']);
    const healthy = await TestClient.connect(gateway.port, { recordEvents: false, timeEvents: true });
    let healthyClose = 'open';
    void healthy.closed.then(({ code, reason }) => (healthyClose = `${code} ${reason}`));
    const slow = await TestClient.connect(gateway.port, { recordEvents: false });
    clients.push(healthy, slow);
    for (const client of [healthy, slow]) {
      await client.auth(token);
      await client.subscribe(['portfolio_updates']);
    }
    socketOf(slow).pause();

    // About 3.5 KB per event, 16 MB in all: more than the kernel's socket buffers can absorb.
    const events = Array.from({ length: 4_500 }, (_, i) => portfolioEvent(`p-${i % 7}`, 40));
    const ids: string[] = [];
    for (let start = 0; start < events.length && (await disconnects(registry, GatewayCloseCode.SlowConsumer)) === 0; start += 250) {
      ids.push(...(await publishEvents(redis, prefix, 'portfolio_updates', events.slice(start, start + 250))));
    }
    await waitFor(async () => (await disconnects(registry, GatewayCloseCode.SlowConsumer)) === 1, {
      message: () => `the slow client was not closed (${ids.length} events published, peak buffer ${gateway.stats().peakSendBufferBytes})`,
    });

    // The slow client sees the close code once it reads again.
    socketOf(slow).resume();
    expect((await slow.closed).code).toBe(GatewayCloseCode.SlowConsumer);

    // The healthy client got every event, each soon after it was added to the stream.
    await waitFor(() => healthy.idsOf('portfolio_updates').length === ids.length, {
      timeoutMs: 20_000,
      message: () => `the healthy client got ${healthy.idsOf('portfolio_updates').length} of ${ids.length} events (the healthy client's connection: ${healthyClose})`,
    });
    expect(healthy.idsOf('portfolio_updates')).toEqual(ids);
    const latencies = ids.map((id) => (healthy.arrivals.get(`portfolio_updates ${id}`) ?? Infinity) - Number(id.split('-')[0])).sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length * 0.99)]).toBeLessThan(2_000);

    // What the server held for the slow client never went past the limit by more than one frame.
    expect(gateway.stats().peakSendBufferBytes).toBeGreaterThan(0);
    expect(gateway.stats().peakSendBufferBytes).toBeLessThanOrEqual(PROTOCOL_DEFAULTS.sendBufferLimitBytes + 16_384);
    await waitFor(() => gateway.stats().connections === 1);
  }, 45_000);
});
