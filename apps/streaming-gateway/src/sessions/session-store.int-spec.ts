import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { encodeSessionRecord, sessionKey } from './session-record';
import { SessionStore, SessionStoreOptionsError } from './session-store';
import { evalCalls, spyOnCommands } from './test/redis-command-counts';

describe('SessionStore', () => {
  const prefix = uniquePrefix();
  let redis: RedisConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  const record = { subject: 'user-1', channels: ['alerts'], positions: { alerts: '5-0' } };

  it('stores a session with its TTL and loads it back', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    expect(await store.save('session-a', 'conn-1', record, true)).toBe(true);
    expect(await store.load('session-a')).toEqual(record);
    const ttl = await redis.pttl(sessionKey('session-a', prefix));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.load('session-unknown')).toBeUndefined();
  });

  it('lets a newer connection take a session over, after which the older one cannot write', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    await store.save('session-b', 'old', record, true);
    expect(await store.save('session-b', 'new', { ...record, positions: { alerts: '9-0' } }, true)).toBe(true);
    expect(await store.save('session-b', 'old', { ...record, positions: { alerts: '7-0' } }, false)).toBe(false);
    expect((await store.load('session-b'))?.positions).toEqual({ alerts: '9-0' });
  });

  it('expires a session after its TTL', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 50 });
    await store.save('session-c', 'conn', record, true);
    await waitFor(async () => (await store.load('session-c')) === undefined);
  });

  it('refuses a pipeline size that is not a positive whole number', () => {
    for (const pipelineSize of [0, 2.5, -1]) {
      expect(() => new SessionStore({ redis, ttlMs: 1_000, pipelineSize })).toThrow(SessionStoreOptionsError);
    }
  });

  it('saves many sessions in pipelines of at most pipelineSize writes, one EVALSHA each', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000, pipelineSize: 40 });
    const writes = Array.from({ length: 100 }, (_, index) => ({
      id: `many-${index}`,
      owner: `conn-${index}`,
      data: encodeSessionRecord({ ...record, positions: { alerts: `${index + 1}-0` } }),
      takeOver: true,
    }));
    await store.save('warm-up', 'conn', record, true); // the script is cached from here on
    const commands = spyOnCommands(redis);
    const before = await evalCalls(redis);
    try {
      const result = await store.saveMany(writes);
      expect(result.pipelines).toBe(3);
      expect(result.outcomes).toEqual(writes.map(() => 'saved'));
      expect(commands.counts()).toEqual({ pipelines: 3, evalsha: 0, eval: 0 });
    } finally {
      commands.restore();
    }
    expect(await evalCalls(redis)).toEqual({ evalsha: before.evalsha + 100, eval: before.eval });
    for (const index of [0, 39, 40, 99]) {
      expect((await store.load(`many-${index}`))?.positions).toEqual({ alerts: `${index + 1}-0` });
      expect(await redis.hget(sessionKey(`many-${index}`, prefix), 'owner')).toBe(`conn-${index}`);
    }
  });

  it('reports a write to a session another connection owns as superseded, and writes the others', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    await store.save('owned-elsewhere', 'newer', record, true);
    const data = encodeSessionRecord({ ...record, positions: { alerts: '8-0' } });
    const result = await store.saveMany([
      { id: 'owned-elsewhere', owner: 'older', data, takeOver: false },
      { id: 'owned-here', owner: 'older', data, takeOver: false },
    ]);
    expect(result.outcomes).toEqual(['superseded', 'saved']);
    expect((await store.load('owned-elsewhere'))?.positions).toEqual({ alerts: '5-0' });
    expect((await store.load('owned-here'))?.positions).toEqual({ alerts: '8-0' });
  });

  it('sends writes answered NOSCRIPT again as EVAL (inside ioredis, the same pipeline call)', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    await redis.script('FLUSH');
    const data = encodeSessionRecord(record);
    const writes = Array.from({ length: 5 }, (_, index) => ({ id: `noscript-${index}`, owner: 'conn', data, takeOver: true }));
    const before = await evalCalls(redis);
    const result = await store.saveMany(writes);
    expect(result).toEqual({ outcomes: writes.map(() => 'saved'), pipelines: 1 });
    // ioredis loads the script again with the first EVAL and sends the rest as EVALSHA.
    expect((await evalCalls(redis)).eval).toBeGreaterThan(before.eval);
    for (const { id } of writes) expect(await store.load(id)).toEqual(record);
  });

  it('gives every write the error when Redis cannot be reached, and never rejects', async () => {
    const broken = await testRedis(redisServer.server);
    broken.disconnect();
    const store = new SessionStore({ redis: broken, keyPrefix: prefix, ttlMs: 60_000 });
    const data = encodeSessionRecord(record);
    const result = await store.saveMany([
      { id: 'unreachable-1', owner: 'conn', data, takeOver: true },
      { id: 'unreachable-2', owner: 'conn', data, takeOver: true },
    ]);
    expect(result.outcomes).toHaveLength(2);
    for (const outcome of result.outcomes) expect(outcome).toBeInstanceOf(Error);
    expect(await redis.exists(sessionKey('unreachable-1', prefix))).toBe(0);
  });
});
