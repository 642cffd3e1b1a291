import { streamKey, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { Registry } from 'prom-client';
import type { StreamingGateway } from '../gateway';
import {
  alertEvent,
  channelIds,
  portfolioEvent,
  priceEvent,
  publishEvents,
  startTestGateway,
  streamEntries,
  testRedis,
  testToken,
  uniquePrefix,
} from '../test/gateway-test-kit';
import { TestClient } from '../test/test-client';

/** Channel sets, one per client in turn: whole streams, subjects, and an overlapping pair. */
const CHANNEL_SETS: string[][] = [
  ['market_data'],
  ['portfolio_updates:p-1'],
  ['alerts'],
  ['market_data:BTC'],
  ['portfolio_updates:p-2', 'market_data:SOL'],
  ['market_data:BTC', 'market_data'],
  ['portfolio_updates', 'alerts', 'market_data:ETH'],
  ['portfolio_updates:p-1', 'alerts'],
  ['market_data:ETH'],
  ['portfolio_updates:p-3', 'portfolio_updates:p-4', 'market_data:SOL'],
];
const CLIENTS = 200;
const EVENTS = 10_000;
const SYMBOLS = ['BTC', 'ETH', 'SOL'];

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('fan-out across two replicas', () => {
  const prefix = uniquePrefix();
  const gateways: Array<{ gateway: StreamingGateway; registry: Registry }> = [];
  const clients: TestClient[] = [];
  let redis: RedisConnection;

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all(gateways.map(({ gateway }) => gateway.close()));
    await redis?.quit();
  }, 30_000);
  const redisServer = useRedis();

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    gateways.push(await startTestGateway(redisServer.server, { prefix, instanceId: 'fanout-one' }));
    gateways.push(await startTestGateway(redisServer.server, { prefix, instanceId: 'fanout-two' }));
    const token = await testToken(['*']);
    for (let start = 0; start < CLIENTS; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, offset) => {
          const index = start + offset;
          const client = await TestClient.connect(gateways[index % 2].gateway.port, { recordEvents: false });
          clients[index] = client;
          expect((await client.auth(token))['type']).toBe('welcome');
          expect((await client.subscribe(CHANNEL_SETS[index % CHANNEL_SETS.length]))['type']).toBe('subscribed');
        }),
      );
    }
  }, 60_000);

  it('delivers each of 10,000 events to 200 clients exactly once per channel, in stream order', async () => {
    const next = random(42);
    const batches: Array<Record<string, CloudEvent[]>> = [];
    for (let start = 0; start < EVENTS; start += 500) {
      const batch: Record<string, CloudEvent[]> = { market_data: [], alerts: [], portfolio_updates: [] };
      for (let i = start; i < start + 500; i++) {
        const pick = next();
        if (pick < 0.6) batch.market_data.push(priceEvent(SYMBOLS[Math.floor(next() * 3)], i));
        else if (pick < 0.8) batch.alerts.push(alertEvent(`alert-${i}`));
        else batch.portfolio_updates.push(portfolioEvent(`p-${1 + Math.floor(next() * 4)}`));
      }
      batches.push(batch);
    }
    for (const batch of batches) {
      await Promise.all(Object.entries(batch).map(([stream, events]) => publishEvents(redis, prefix, stream, events)));
    }

    const entries = {
      market_data: await streamEntries(redis, streamKey('market_data', prefix)),
      alerts: await streamEntries(redis, streamKey('alerts', prefix)),
      portfolio_updates: await streamEntries(redis, streamKey('portfolio_updates', prefix)),
    };
    expect(entries.market_data.length + entries.alerts.length + entries.portfolio_updates.length).toBe(EVENTS);
    const expected = (channel: string) => channelIds(entries[channel.split(':')[0] as keyof typeof entries], channel);
    const total = clients.reduce((sum, _, index) => sum + CHANNEL_SETS[index % CHANNEL_SETS.length].reduce((n, channel) => n + expected(channel).length, 0), 0);
    const received = () => clients.reduce((sum, client) => sum + [...client.ids.values()].reduce((n, ids) => n + ids.length, 0), 0);
    await waitFor(() => received() >= total, { timeoutMs: 45_000, intervalMs: 200, message: () => `${received()} of ${total} deliveries` });

    clients.forEach((client, index) => {
      const channels = CHANNEL_SETS[index % CHANNEL_SETS.length];
      expect([...client.ids.keys()].sort()).toEqual([...channels].sort());
      for (const channel of channels) {
        const ids = client.idsOf(channel);
        const wanted = expected(channel);
        // Compared by hand first: a failure then prints one client's channel, not 200 of them.
        if (ids.length !== wanted.length || ids.some((id, at) => id !== wanted[at])) expect({ client: index, channel, ids }).toEqual({ client: index, channel, ids: wanted });
      }
    });
    expect(received()).toBe(total);

    const sent = await Promise.all(gateways.map(({ registry }) => registry.getSingleMetricAsString('rebal_gateway_messages_sent_total')));
    expect(sent.join('\n')).toMatch(/kind="event"} \d+/);
  }, 60_000);
});
