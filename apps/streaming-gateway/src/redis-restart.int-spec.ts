import { streamKey, waitUntilReady, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { StreamingGateway } from './gateway';
import { alertEvent, channelIds, priceEvent, publishEvents, startTestGateway, streamEntries, testRedis, testToken, uniquePrefix } from './test/gateway-test-kit';
import { TestClient } from './test/test-client';

const CHANNELS = [['market_data'], ['market_data:BTC', 'alerts'], ['alerts']];

describe('a Redis restart while events flow', () => {
  const prefix = uniquePrefix();
  const gateways: StreamingGateway[] = [];
  const clients: TestClient[] = [];
  let redis: RedisConnection;

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await redis?.quit();
  }, 30_000);
  const redisServer = useRedis({ appendonly: true });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    for (const instanceId of ['restart-one', 'restart-two']) gateways.push((await startTestGateway(redisServer.server, { prefix, instanceId })).gateway);
    const token = await testToken(['*']);
    for (let index = 0; index < 12; index++) {
      const client = await TestClient.connect(gateways[index % 2].port, { recordEvents: false });
      clients.push(client);
      await client.auth(token);
      await client.subscribe(CHANNELS[index % CHANNELS.length]);
    }
  });

  it('delivers every event published before, during and after the restart, with no gap', async () => {
    let batches = 0;
    let stop = false;
    const publishing = (async () => {
      for (let round = 0; !stop; round++) {
        try {
          await publishEvents(redis, prefix, 'market_data', Array.from({ length: 20 }, (_, i) => priceEvent(i % 2 === 0 ? 'BTC' : 'ETH', round)));
          await publishEvents(redis, prefix, 'alerts', [alertEvent(`alert-${round}`)]);
          batches++;
        } catch {
          // Redis is down: events not written are not in the stream, so no client expects them.
          await waitUntilReady(redis, 30_000).catch(() => undefined);
        }
      }
    })();
    await waitFor(() => batches >= 20);
    await redisServer.server.restart();
    const afterRestart = batches;
    await waitFor(() => batches >= afterRestart + 20, { timeoutMs: 30_000 });
    stop = true;
    await publishing;

    const entries = {
      market_data: await streamEntries(redis, streamKey('market_data', prefix)),
      alerts: await streamEntries(redis, streamKey('alerts', prefix)),
    };
    for (const [index, client] of clients.entries()) {
      for (const channel of CHANNELS[index % CHANNELS.length]) {
        const expected = channelIds(entries[channel.split(':')[0] as keyof typeof entries], channel);
        await waitFor(() => client.idsOf(channel).length >= expected.length, {
          timeoutMs: 20_000,
          message: () => `client ${index} ${channel}: ${client.idsOf(channel).length} of ${expected.length}`,
        });
        expect(client.idsOf(channel)).toEqual(expected);
      }
    }
    expect(entries.alerts.length).toBeGreaterThanOrEqual(40);
    await waitFor(() => gateways.every((gateway) => gateway.readiness().ready));
  }, 60_000);
});
