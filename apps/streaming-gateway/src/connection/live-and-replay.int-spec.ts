import { compareStreamIds } from '@rebal/gateway-client';
import { encodeEvent, streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { StreamingGateway } from '../gateway';
import { priceEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from '../test/gateway-test-kit';
import { TestClient } from '../test/test-client';

// Live delivery and replay are two code paths that must send a channel the same events.
describe('live delivery and replay agree', () => {
  const prefix = uniquePrefix();
  let gateway: StreamingGateway;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await gateway?.close();
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    ({ gateway } = await startTestGateway(redisServer.server, { prefix }));
  });

  async function connect(): Promise<TestClient> {
    const client = await TestClient.connect(gateway.port, { recordEvents: false });
    clients.push(client);
    await client.auth(await testToken(['market_data']));
    return client;
  }

  it('issue 11 item 4: an entry with two subject fields reaches the same channel live and in replay', async () => {
    const channels = ['market_data:BTC', 'market_data:ETH'];
    const live = await connect();
    await live.subscribe(channels);
    const [since] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    // A foreign producer writes `subject` twice (XADD keeps both fields, in order).
    const twice = (await redis.xadd(streamKey('market_data', prefix), '*', ...encodeEvent(priceEvent('BTC', 2)), 'subject', 'ETH')) as string;
    const markers = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 3), priceEvent('ETH', 4)]);
    await waitFor(() => live.idsOf('market_data:BTC').includes(markers[0]) && live.idsOf('market_data:ETH').includes(markers[1]));

    const replayed = await connect();
    await replayed.subscribe(channels, { 'market_data:BTC': since, 'market_data:ETH': since });
    await waitFor(() => replayed.idsOf('market_data:BTC').includes(markers[0]) && replayed.idsOf('market_data:ETH').includes(markers[1]));
    for (const channel of channels) {
      const after = (ids: string[]): string[] => ids.filter((id) => compareStreamIds(id, since) > 0);
      expect({ channel, ids: after(replayed.idsOf(channel)) }).toEqual({ channel, ids: after(live.idsOf(channel)) });
    }
    // Whichever rule decides, the entry is never sent on both channels.
    expect(channels.filter((channel) => live.idsOf(channel).includes(twice)).length).toBeLessThanOrEqual(1);
  });
});
