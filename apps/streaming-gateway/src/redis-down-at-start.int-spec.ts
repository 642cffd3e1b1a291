import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { Registry } from 'prom-client';
import type { StreamingGateway } from './gateway';
import { alertEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from './test/gateway-test-kit';
import { TestClient, type Frame } from './test/test-client';

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  return ((await metric?.get())?.values ?? []).reduce((total, value) => total + value.value, 0);
}

describe('a gateway started while Redis is down', () => {
  const prefix = uniquePrefix();
  let gateway: StreamingGateway | undefined;
  let redis: RedisConnection | undefined;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await gateway?.close();
    await redis?.quit();
  }, 30_000);
  const redisServer = useRedis({ appendonly: false });

  it('issue 11 item 2: answers subscribe with unavailable until its stream readers run, then delivers every event published after subscribed', async () => {
    await redisServer.server.stop();
    let registry: Registry;
    ({ gateway, registry } = await startTestGateway(redisServer.server, { prefix }));
    const client = await TestClient.connect(gateway.port, { recordEvents: false });
    clients.push(client);
    expect(await client.auth(await testToken(['alerts']))).toMatchObject({ type: 'welcome' });
    // Several failed attempts: the readers' retry now backs off for seconds.
    await waitFor(async () => (await counterValue(registry, 'rebal_gateway_fanout_start_failures_total')) >= 5 * 4, { timeoutMs: 15_000 });
    await redisServer.server.start();
    redis = await testRedis(redisServer.server);

    let subscribed: Frame | undefined;
    const refusals: unknown[] = [];
    await waitFor(
      async () => {
        const reply = await client.subscribe(['alerts']);
        if (reply.type === 'subscribed') subscribed = reply;
        else refusals.push(reply['code']);
        return subscribed;
      },
      { timeoutMs: 20_000, intervalMs: 50, message: () => `refusals: ${JSON.stringify(refusals.slice(-3))}` },
    );
    expect(new Set(refusals)).toEqual(new Set(refusals.length === 0 ? [] : ['unavailable']));
    const published = await publishEvents(redis, prefix, 'alerts', Array.from({ length: 5 }, (_, i) => alertEvent(`a-${i}`)));
    await waitFor(() => client.idsOf('alerts').length >= published.length, {
      timeoutMs: 5_000,
      message: () => `received ${client.idsOf('alerts').length} of ${published.length}; readers running: ${String(gateway?.readiness().checks['consumers'])}`,
    });
    expect(client.idsOf('alerts')).toEqual(published);
  }, 60_000);
});
