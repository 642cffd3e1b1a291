import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { encodeSessionRecord, sessionKey } from './session-record';
import { SessionStore, type SessionWrite } from './session-store';
import { SessionWriter } from './session-writer';
import { evalCalls, spyOnCommands } from './test/redis-command-counts';

describe('SessionWriter against Redis', () => {
  let redis: RedisConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  function setUp(): { prefix: string; store: SessionStore; writer: SessionWriter; metrics: GatewayMetrics } {
    const prefix = uniquePrefix();
    const store = new SessionStore({ redis, keyPrefix: prefix, ttlMs: 60_000 });
    const metrics = createGatewayMetrics(new Registry());
    return { prefix, store, writer: new SessionWriter({ store, metrics }), metrics };
  }

  const write = (id: string, position: string, extra: Partial<SessionWrite> = {}): SessionWrite => ({
    id,
    owner: `owner-of-${id}`,
    data: encodeSessionRecord({ subject: 'user-1', channels: ['alerts'], positions: { alerts: position } }),
    takeOver: false,
    ...extra,
  });

  it('sends the writes of one turn of the event loop together, one pipeline of one script call each', async () => {
    const { store, writer } = setUp();
    await store.save('warm-up', 'conn', { subject: 'user-1', channels: [], positions: {} }, true); // caches the script
    const commands = spyOnCommands(redis);
    const before = await evalCalls(redis);
    try {
      for (let index = 0; index < 120; index++) writer.write(write(`turn-${index}`, `${index + 1}-0`));
      await waitFor(() => writer.stats().writes === 120);
      await writer.flush();
      expect(commands.counts()).toEqual({ pipelines: 1, evalsha: 0, eval: 0 });
    } finally {
      commands.restore();
    }
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha + 120);
    expect(writer.stats()).toMatchObject({ writes: 120, pipelines: 1, failures: 0, queued: 0 });
    expect((await store.load('turn-57'))?.positions).toEqual({ alerts: '58-0' });
  });

  it('resolves each write once Redis holds it, and keeps the order of a session\'s writes', async () => {
    const { store, writer } = setUp();
    const first = writer.write(write('ordered', '1-0'));
    await new Promise((resolve) => setImmediate(resolve));
    const second = writer.write(write('ordered', '2-0'));
    await first;
    await second;
    expect((await store.load('ordered'))?.positions).toEqual({ alerts: '2-0' });
    expect(writer.stats()).toMatchObject({ writes: 2, pipelines: 2, queued: 0 });
  });

  it('sets the TTL each write asks for', async () => {
    const { prefix, writer } = setUp();
    writer.write(write('long', '1-0', { ttlMs: 3_600_000 }));
    writer.write(write('short', '1-0'));
    await waitFor(() => writer.stats().writes === 2);
    await writer.flush();
    expect(await redis.pttl(sessionKey('long', prefix))).toBeGreaterThan(3_500_000);
    const short = await redis.pttl(sessionKey('short', prefix));
    expect(short).toBeGreaterThan(50_000);
    expect(short).toBeLessThanOrEqual(60_000);
  });

  it('writes nothing over a session a newer connection took over', async () => {
    const { store, writer } = setUp();
    const newer = { subject: 'user-1', channels: ['alerts', 'risk_events'], positions: { alerts: '50-0' } };
    expect(await store.save('taken', 'newer-connection', newer, true)).toBe(true);
    writer.write(write('taken', '2-0'));
    await waitFor(() => writer.stats().writes === 1);
    await writer.flush();
    expect(writer.stats().failures).toBe(0);
    expect(await store.load('taken')).toEqual(newer);
  });

  it('writes again, with EVAL, after Redis lost its scripts', async () => {
    const { store, writer } = setUp();
    await redis.script('FLUSH');
    const before = await evalCalls(redis);
    for (let index = 0; index < 10; index++) writer.write(write(`flushed-scripts-${index}`, '1-0'));
    await waitFor(() => writer.stats().writes === 10);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ writes: 10, pipelines: 1, failures: 0 });
    expect((await evalCalls(redis)).eval).toBeGreaterThan(before.eval);
    expect((await store.load('flushed-scripts-9'))?.positions).toEqual({ alerts: '1-0' });
  });

  it('counts failed writes and never throws', async () => {
    const metrics = createGatewayMetrics(new Registry());
    const failing = new SessionWriter({ store: { saveMany: () => Promise.reject(new Error('Redis is down')) }, metrics });
    failing.write(write('lost', '1-0'));
    failing.write(write('lost-too', '1-0'));
    await waitFor(() => failing.stats().writes === 2);
    await failing.flush();
    expect(failing.stats().failures).toBe(2);
    expect((await metrics.sessionWriteFailures.get()).values[0]?.value).toBe(2);
    expect((await metrics.sessionWrites.get()).values[0]?.value).toBe(2);
  });
});
