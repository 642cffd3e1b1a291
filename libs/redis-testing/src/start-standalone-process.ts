import { freePort } from './free-port';
import { nodeServerArgs } from './node-server-args';
import { processRedisServer } from './process-redis-server';
import { RedisServerProcess } from './redis-server-process';
import type { RedisTestServer } from './redis-test-server';
import type { StartRedisOptions } from './start-redis-options';

/** Starts `standalone` mode as a `redis-server` process: no auth, plain TCP, on a free loopback port. */
export async function startStandaloneProcess(options: StartRedisOptions): Promise<RedisTestServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `redis://${host}:${port}/0`;
  return processRedisServer({
    mode: 'standalone',
    url,
    adminUrl: url,
    env: { REDIS_URL: url },
    nodes: [{ host, port }],
    processes: [new RedisServerProcess({ port, args: nodeServerArgs(options) })],
  });
}
