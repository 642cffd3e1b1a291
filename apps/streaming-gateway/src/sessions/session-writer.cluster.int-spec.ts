import { keySlot, type RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createGatewayMetrics } from '../metrics';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { encodeSessionRecord, sessionKey } from './session-record';
import { SessionStore, type SessionWrite } from './session-store';
import { SessionWriter } from './session-writer';
import { evalCalls, spyOnCommands } from './test/redis-command-counts';

type ClusterConnection = Extract<RedisConnection, { slots: unknown }>;

// The same batching on a 3-master Redis Cluster: ioredis refuses a pipeline whose keys live
// on different nodes, so the store sends one pipeline per node.
describe('SessionWriter on a Redis Cluster', () => {
  let redis: ClusterConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ mode: 'cluster', appendonly: false });

  beforeAll(async () => {
    redis = (await testRedis(redisServer.server)) as ClusterConnection;
    expect(redis.isCluster).toBe(true);
  });

  function setUp() {
    const prefix = uniquePrefix();
    const store = new SessionStore({ redis, keyPrefix: prefix, ttlMs: 60_000 });
    const writer = new SessionWriter({ store, metrics: createGatewayMetrics(new Registry()) });
    return { prefix, store, writer };
  }

  const write = (id: string, channel: string, position: string): SessionWrite => ({
    id,
    owner: `owner-of-${id}`,
    data: encodeSessionRecord({ subject: 'user-1', channels: [channel], positions: { [channel]: position } }),
    takeOver: false,
  });

  /** The master holding `key`, asked of the cluster itself. */
  async function masterOf(key: string): Promise<string> {
    const slot = Number(await redis.cluster('KEYSLOT', key));
    expect(keySlot(key)).toBe(slot);
    const ranges = await redis.cluster('SLOTS');
    const range = ranges.find(([from, to]) => from <= slot && slot <= to);
    const master = range?.[2];
    return master ? `${master[0]}:${master[1]}` : 'none';
  }

  it('writes 200 sessions of one turn spread over the three masters with one pipeline per master', async () => {
    const { prefix, store, writer } = setUp();
    const ids = Array.from({ length: 200 }, (_, index) => `cluster-${index}`);
    const masters = new Set(await Promise.all(ids.map((id) => masterOf(sessionKey(id, prefix)))));
    expect(masters.size).toBe(3);
    ids.forEach((id, index) => void writer.write(write(id, 'market_data', `${index + 1}-0`)));
    await writer.flush(); // loads the script on each master's socket (EVAL the first time, EVALSHA after)

    const commands = spyOnCommands(redis);
    const before = await evalCalls(redis);
    const sent = writer.stats();
    try {
      ids.forEach((id, index) => void writer.write(write(id, 'market_data', `${index + 1001}-0`)));
      await writer.flush();
      expect(writer.stats()).toMatchObject({ writes: sent.writes + 200, pipelines: sent.pipelines + 3, failures: 0 });
      expect(commands.counts()).toEqual({ pipelines: 3, evalsha: 0, eval: 0 });
    } finally {
      commands.restore();
    }
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha + 200);
    for (const index of [0, 57, 131, 199]) expect((await store.load(`cluster-${index}`))?.positions).toEqual({ market_data: `${index + 1001}-0` });
  });

  it('writes again with EVAL after every master lost its scripts', async () => {
    const { store, writer } = setUp();
    await Promise.all(redis.nodes('master').map((node) => node.script('FLUSH')));
    for (let index = 0; index < 30; index++) void writer.write(write(`noscript-${index}`, 'alerts', '3-0'));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ writes: 30, failures: 0, pipelines: 3 });
    for (const index of [0, 29]) expect((await store.load(`noscript-${index}`))?.channels).toEqual(['alerts']);
  });

  it('sends a write the slot table sent to the wrong master again on its own, following MOVED', async () => {
    const { prefix, store } = setUp();
    const ids = Array.from({ length: 40 }, (_, index) => `moved-${index}`);
    const writes = ids.map((id) => ({ id, owner: 'conn', data: encodeSessionRecord({ subject: 'user-1', channels: ['alerts'], positions: { alerts: '9-0' } }), takeOver: true }));
    await store.saveMany(writes); // every master has the script
    // Point one key's slot at another master in ioredis's table: its write joins that master's pipeline.
    const moved = sessionKey(ids[0], prefix);
    const slot = keySlot(moved);
    const right = redis.slots[slot];
    const otherId = ids.find((id) => redis.slots[keySlot(sessionKey(id, prefix))].join(';') !== right.join(';'));
    const wrong = redis.slots[keySlot(sessionKey(otherId ?? '', prefix))];
    redis.slots[slot] = wrong;
    redis._groupsBySlot[slot] = redis._groupsBySlot[keySlot(sessionKey(otherId ?? '', prefix))];

    const result = await store.saveMany(writes.map((write) => ({ ...write, data: write.data.replace('9-0', '10-0') })));
    expect(result.outcomes).toEqual(ids.map(() => 'saved'));
    for (const id of [ids[0], ids[39]]) expect((await store.load(id))?.positions).toEqual({ alerts: '10-0' });
  });
});
