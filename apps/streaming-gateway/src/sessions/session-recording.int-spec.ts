import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { Registry } from 'prom-client';
import type { StreamingGateway } from '../gateway';
import { priceEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from '../test/gateway-test-kit';
import { TestClient } from '../test/test-client';
import * as sessionRecords from './session-record';
import { decodeSessionRecord, sessionKey, type SessionRecord } from './session-record';
import { evalCalls } from './test/redis-command-counts';

const AN_HOUR = 3_600_000;

// Sessions as a running gateway records them: one flusher for every connection.
describe('session recording in the gateway', () => {
  let redis: RedisConnection;
  const gateways: StreamingGateway[] = [];
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  async function gateway(prefix: string, sessionFlushIntervalMs: number): Promise<{ gateway: StreamingGateway; registry: Registry }> {
    const started = await startTestGateway(redisServer.server, { prefix, limits: { sessionFlushIntervalMs } });
    gateways.push(started.gateway);
    return started;
  }

  async function connect(port: number, channels: string[]): Promise<{ client: TestClient; sessionId: string }> {
    const client = await TestClient.connect(port, { recordEvents: false });
    clients.push(client);
    const welcome = await client.auth(await testToken(['*']));
    await client.subscribe(channels);
    return { client, sessionId: (welcome['session'] as { id: string }).id };
  }

  const load = async (prefix: string, id: string): Promise<SessionRecord | undefined> => decodeSessionRecord(await redis.hget(sessionKey(id, prefix), 'data'));

  async function flushes(registry: Registry): Promise<number> {
    const metric = registry.getSingleMetric('rebal_gateway_session_flush_duration_seconds');
    const values = ((await metric?.get())?.values ?? []) as Array<{ value: number; metricName?: string }>;
    return values.find((value) => value.metricName === 'rebal_gateway_session_flush_duration_seconds_count')?.value ?? 0;
  }

  it('writes a closing connection\'s session at once, with the next flush an hour away', async () => {
    const prefix = uniquePrefix();
    const { gateway: server } = await gateway(prefix, AN_HOUR);
    const { client, sessionId } = await connect(server.port, ['alerts', 'market_data']);
    // Stored at auth, before the subscribe: no channel yet.
    expect((await load(prefix, sessionId))?.channels).toEqual([]);
    await client.close();
    await waitFor(async () => (await load(prefix, sessionId))?.channels.length === 2, { timeoutMs: 5_000 });
    expect((await load(prefix, sessionId))?.channels).toEqual(['alerts', 'market_data']);
  });

  it('writes every connection\'s session when the gateway closes, before it stops', async () => {
    const prefix = uniquePrefix();
    const { gateway: server } = await gateway(prefix, AN_HOUR);
    const sessions = await Promise.all(Array.from({ length: 5 }, () => connect(server.port, ['risk_events'])));
    await server.close();
    for (const { sessionId } of sessions) expect((await load(prefix, sessionId))?.channels).toEqual(['risk_events']);
  });

  it('writes nothing for connections whose positions did not move, and writes them again once events flow', async () => {
    const prefix = uniquePrefix();
    const { gateway: server, registry } = await gateway(prefix, 50);
    const sessions = await Promise.all(Array.from({ length: 20 }, () => connect(server.port, ['market_data'])));
    const [first] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    await waitFor(async () => {
      const records = await Promise.all(sessions.map(({ sessionId }) => load(prefix, sessionId)));
      return records.every((record) => record?.positions['market_data'] === first);
    });

    // Idle: flushes go on, but nothing is serialized and nothing written.
    const before = await evalCalls(redis);
    const flushed = await flushes(registry);
    const encode = jest.spyOn(sessionRecords, 'encodeSessionRecord');
    try {
      await waitFor(async () => (await flushes(registry)) >= flushed + 6);
      expect(encode).not.toHaveBeenCalled();
    } finally {
      encode.mockRestore();
    }
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha);

    const [second] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 2)]);
    await waitFor(async () => {
      const records = await Promise.all(sessions.map(({ sessionId }) => load(prefix, sessionId)));
      return records.every((record) => record?.positions['market_data'] === second);
    });
    expect((await evalCalls(redis)).evalsha - before.evalsha).toBeGreaterThanOrEqual(20);
  });
});
