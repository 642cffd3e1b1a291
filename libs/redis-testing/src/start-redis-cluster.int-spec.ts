import Redis, { Cluster } from 'ioredis';
import { detectRedisTestServer } from './detect-redis-test-server';
import { startRedis } from './start-redis';
import { probeRawSocket } from './test/probe-raw-socket';
import { serverEngine } from './test/server-engine';
import { useRedis } from './use-redis';

/** The `CLUSTER INFO` field `name` of one node. */
async function clusterInfoField(host: string, port: number, name: string): Promise<string | undefined> {
  const client = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    const info = String(await client.call('CLUSTER', 'INFO'));
    return new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  } finally {
    client.disconnect();
  }
}

/** Keys written by one test, spread over many hash slots (one hash tag each). */
const KEYS = Array.from({ length: 12 }, (_, index) => `cluster-spec:{slot-${index}}:value`);

describe('startRedis (cluster)', () => {
  const redis = useRedis({ mode: 'cluster', args: ['--slowlog-max-len', '77'] });

  const clusterClient = () => {
    const { nodes } = redis.server;
    const client = new Cluster(nodes.map(({ host, port }) => ({ host, port })), { lazyConnect: true });
    client.on('error', () => undefined);
    return client;
  };

  it('describes three nodes, with the first one as REDIS_URL and all of them in REDIS_CLUSTER_NODES', () => {
    const { server } = redis;
    expect(server.nodes).toHaveLength(3);
    expect(new Set(server.nodes.map(({ port }) => port)).size).toBe(3);
    expect(server.url).toBe(`redis://127.0.0.1:${server.nodes[0].port}/0`);
    expect(server.env).toEqual({
      REDIS_URL: server.url,
      REDIS_CLUSTER_NODES: server.nodes.map(({ port }) => `127.0.0.1:${port}`).join(','),
    });
    expect(server.processes).toHaveLength(3);
  });

  it('reports cluster_state:ok on all three masters, every slot assigned', async () => {
    for (const { host, port } of redis.server.nodes) {
      expect(await clusterInfoField(host, port, 'cluster_state')).toBe('ok');
      expect(await clusterInfoField(host, port, 'cluster_slots_assigned')).toBe('16384');
      expect(await clusterInfoField(host, port, 'cluster_known_nodes')).toBe('3');
      expect(await clusterInfoField(host, port, 'cluster_size')).toBe('3');
    }
  });

  it('gives every node the extra args and AOF', async () => {
    for (const { host, port } of redis.server.nodes) {
      const client = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null });
      try {
        await client.connect();
        expect(await client.config('GET', 'slowlog-max-len')).toEqual(['slowlog-max-len', '77']);
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      } finally {
        client.disconnect();
      }
    }
  });

  it('runs the server REDIS_TEST_SERVER names on every node', async () => {
    for (const { host, port } of redis.server.nodes) {
      const client = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null });
      try {
        await client.connect();
        expect((await serverEngine(client)).engine).toBe(detectRedisTestServer().engine);
      } finally {
        client.disconnect();
      }
    }
  });

  it('stores keys of different slots on different nodes through a Cluster client and keeps them across a restart', async () => {
    const writer = clusterClient();
    try {
      await writer.connect();
      for (const key of KEYS) await writer.set(key, `value of ${key}`);
      // Each master holds some of the keys: the slots really are split between the nodes.
      const perNode = await Promise.all(writer.nodes('master').map((node) => node.keys('cluster-spec:*')));
      expect(perNode).toHaveLength(3);
      for (const keys of perNode) expect(keys.length).toBeGreaterThan(0);
      expect(perNode.flat().sort()).toEqual([...KEYS].sort());
    } finally {
      writer.disconnect();
    }

    await redis.server.restart();

    for (const { host, port } of redis.server.nodes) {
      expect(await clusterInfoField(host, port, 'cluster_state')).toBe('ok');
    }
    const reader = clusterClient();
    try {
      await reader.connect();
      const values = await Promise.all(KEYS.map((key) => reader.get(key)));
      expect(values).toEqual(KEYS.map((key) => `value of ${key}`));
    } finally {
      reader.disconnect();
    }
  }, 30_000);

  it('stops every node half-way through a failed start', async () => {
    // A deadline no forming cluster can meet: the start fails after all three nodes run.
    const failure = await startRedis({ mode: 'cluster', appendonly: false, clusterReadyTimeoutMs: 1 }).then(
      () => new Error('the cluster start was expected to fail'),
      (error: Error) => error,
    );
    expect(failure.message).toMatch(/redis cluster not ok/);
    const ports = [...failure.message.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(ports).toHaveLength(3);
    for (const port of ports) {
      await expect(probeRawSocket(port, 'PING\r\n')).resolves.toMatchObject({ end: 'ECONNREFUSED' });
    }
  }, 30_000);
});
