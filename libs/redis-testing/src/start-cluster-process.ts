import Redis from 'ioredis';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeClusterPort } from './free-cluster-port';
import { nodeServerArgs } from './node-server-args';
import { processRedisServer } from './process-redis-server';
import { RedisServerProcess } from './redis-server-process';
import type { RedisTestNode, RedisTestServer } from './redis-test-server';
import type { StartRedisOptions } from './start-redis-options';
import { waitForClusterOk } from './wait-for-cluster-ok';

/** Masters in the test cluster (no replicas). */
const MASTERS = 3;
const SLOTS = 16_384;
const HOST = '127.0.0.1';

/** Slot range `[first, last]` of master `index`, splitting 0..16383 evenly. */
function slotRange(index: number): [number, number] {
  const first = Math.floor((index * SLOTS) / MASTERS);
  const last = Math.floor(((index + 1) * SLOTS) / MASTERS) - 1;
  return [first, last];
}

/**
 * Forms the cluster from fresh nodes, as `redis-cli --cluster create` does: a distinct
 * config epoch per node, each node's slot range, then the first node meets the others.
 */
async function formCluster(nodes: ReadonlyArray<RedisTestNode>): Promise<void> {
  const clients = nodes.map(({ host, port }) => new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1 }));
  try {
    await Promise.all(
      clients.map(async (client, index) => {
        await client.connect();
        await client.call('CLUSTER', 'SET-CONFIG-EPOCH', String(index + 1));
        const [first, last] = slotRange(index);
        await client.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
      }),
    );
    const [first] = clients;
    for (const node of nodes.slice(1)) await first?.call('CLUSTER', 'MEET', node.host, String(node.port));
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/**
 * Starts `cluster` mode: three masters (no replicas) on free ports, each a `redis-server`
 * with cluster mode on in its own directory (`nodes.conf` and AOF there, so a restart
 * brings the same cluster back), slots 0..16383 split between them. Resolves once every
 * node reports `cluster_state:ok`; `start()` and `restart()` wait for that again.
 */
export async function startClusterProcess(options: StartRedisOptions): Promise<RedisTestServer> {
  const ports: number[] = [];
  for (let index = 0; index < MASTERS; index++) ports.push(await freeClusterPort(ports));
  const nodes = ports.map((port) => ({ host: HOST, port }));
  const rootDir = mkdtempSync(join(tmpdir(), 'rebal-redis-cluster-'));
  let processes: RedisServerProcess[];
  try {
    processes = ports.map((port) => {
      const dir = join(rootDir, `node-${port}`);
      mkdirSync(dir);
      return new RedisServerProcess({
        port,
        dir,
        args: [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--cluster-node-timeout', '2000',
          ...nodeServerArgs(options),
        ],
      });
    });
  } catch (error) {
    rmSync(rootDir, { recursive: true, force: true });
    throw error;
  }
  const url = `redis://${HOST}:${ports[0]}/0`;
  const readyTimeoutMs = options.clusterReadyTimeoutMs ?? 20_000;
  return processRedisServer({
    mode: 'cluster',
    url,
    adminUrl: url,
    env: { REDIS_URL: url, REDIS_CLUSTER_NODES: nodes.map(({ host, port }) => `${host}:${port}`).join(',') },
    nodes,
    processes,
    rootDir,
    afterStart: async (firstStart) => {
      if (firstStart) await formCluster(nodes);
      await waitForClusterOk(nodes, { timeoutMs: readyTimeoutMs });
    },
  });
}
