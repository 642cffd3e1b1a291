import { keySlot, type RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createGatewayMetrics } from '../metrics';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { SessionFlusher } from './session-flusher';
import { encodeSessionRecord, sessionKey } from './session-record';
import { SessionStore } from './session-store';
import { evalCalls, spyOnCommands } from './test/redis-command-counts';
import { FakeConnection } from './test/session-test-kit';

type ClusterConnection = Extract<RedisConnection, { slots: unknown }>;

// The same batching on a 3-master Redis Cluster: ioredis refuses a pipeline whose keys live
// on different nodes, so the store sends one pipeline per node.
describe('SessionFlusher on a Redis Cluster', () => {
  let redis: ClusterConnection;
  const flushers: SessionFlusher[] = [];

  afterAll(async () => {
    await Promise.all(flushers.map((flusher) => flusher.stop()));
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
    const flusher = new SessionFlusher({ store, intervalMs: 3_600_000, metrics: createGatewayMetrics(new Registry()) });
    flushers.push(flusher);
    return { prefix, store, flusher };
  }

  /** The master holding `key`, asked of the cluster itself. */
  async function masterOf(key: string): Promise<string> {
    const slot = Number(await redis.cluster('KEYSLOT', key));
    expect(keySlot(key)).toBe(slot);
    const ranges = await redis.cluster('SLOTS');
    const range = ranges.find(([from, to]) => from <= slot && slot <= to);
    const master = range?.[2];
    return master ? `${master[0]}:${master[1]}` : 'none';
  }

  it('writes 200 sessions spread over the three masters with one pipeline per master', async () => {
    const { prefix, store, flusher } = setUp();
    const connections = Array.from({ length: 200 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `cluster-${index}`);
      connection.move('market_data', `${index + 1}-0`);
    });
    const masters = new Set(await Promise.all(connections.map((_, index) => masterOf(sessionKey(`cluster-${index}`, prefix)))));
    expect(masters.size).toBe(3);
    await flusher.flush(); // loads the script where it is missing (NOSCRIPT, then EVAL)

    const commands = spyOnCommands(redis);
    const before = await evalCalls(redis);
    try {
      expect(await flusher.flush()).toEqual({ recorders: 200, writes: 200, pipelines: 3, failures: 0 });
      expect(commands.counts()).toEqual({ pipelines: 3, evalsha: 0, eval: 0 });
    } finally {
      commands.restore();
    }
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha + 200);
    for (const index of [0, 57, 131, 199]) expect((await store.load(`cluster-${index}`))?.positions).toEqual({ market_data: `${index + 1}-0` });
  });

  it('writes again with EVAL after every master lost its scripts', async () => {
    const { store, flusher } = setUp();
    const connections = Array.from({ length: 30 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `noscript-${index}`);
      connection.move('alerts', '3-0');
    });
    await Promise.all(redis.nodes('master').map((node) => node.script('FLUSH')));
    const report = await flusher.flush();
    expect(report).toMatchObject({ writes: 30, failures: 0 });
    expect(report.pipelines).toBe(6);
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
