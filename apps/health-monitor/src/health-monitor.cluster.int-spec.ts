import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { findSamples, sampleValue } from './test/prometheus-text';
import { connect, startTestMonitor, uniquePrefix, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(40_000);

const redis = useRedis({ mode: 'cluster' });

describe('health monitor on a 3-master Cluster', () => {
  let admin: RedisConnection;
  let test: TestMonitor | undefined;

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    await test?.close();
    admin?.disconnect();
  });

  it('reports the state and memory of every master, the streams on every node, and the services', async () => {
    const prefix = uniquePrefix();
    test = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: prefix });
    const t = test;
    const addresses = redis.server.nodes.map((node) => `${node.host}:${node.port}`).sort();
    await waitFor(() => t.monitor.latest()?.redis.nodes.length === 3, { timeoutMs: 10_000, message: 'three nodes' });

    const snapshot = t.monitor.latest();
    expect(snapshot?.redis.mode).toBe('cluster');
    expect(snapshot?.redis.nodes.map((node) => node.address)).toEqual(addresses);
    for (const node of snapshot?.redis.nodes ?? []) {
      expect(node).toMatchObject({ reachable: true, info: { mode: 'cluster', cluster: { state: 'ok', slotsAssigned: 16384, knownNodes: 3 } } });
      expect(node.info?.memory.usedBytes).toBeGreaterThan(0);
    }

    // The streams hash to different nodes; each is read through the node that owns it.
    await admin.xgroup('CREATE', `${prefix}alerts`, 'probe', '$', 'MKSTREAM');
    for (let i = 0; i < 4; i++) await admin.xadd(`${prefix}alerts`, '*', 'n', String(i));
    await admin.xadd(`${prefix}market_data`, '*', 'n', '1');
    const families = await waitFor(async () => {
      const f = await t.metrics();
      return sampleValue(f, 'redis_stream_group_lag', { stream: `${prefix}alerts`, group: 'probe' }) === 4 &&
        sampleValue(f, 'redis_stream_length', { stream: `${prefix}market_data` }) === 1 ? f : undefined;
    }, { timeoutMs: 10_000, message: 'stream metrics from the cluster' });
    expect(findSamples(families, 'redis_memory_used_bytes').map((s) => s.labels['node']).sort()).toEqual(addresses);
    expect(findSamples(families, 'redis_cluster_state').map((s) => s.value)).toEqual([1, 1, 1]);
    expect(findSamples(families, 'redis_up').map((s) => s.value)).toEqual([1, 1, 1]);

    // Heartbeats go through the consumer group and the registry's Lua script on the cluster.
    await waitFor(() => t.monitor.latest()?.services.find((s) => s.service === 'health-monitor')?.status === 'healthy', { timeoutMs: 10_000, message: 'own heartbeat recorded' });
    expect(t.monitor.latest()?.status).toBe('healthy');
    expect(t.monitor.isLeader).toBe(true);
  });
});
