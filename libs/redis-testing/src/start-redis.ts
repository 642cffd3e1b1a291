import { freePort } from './free-port';
import { RedisServerProcess } from './redis-server-process';

/** Which kind of Redis deployment a test needs. */
export type RedisTestMode = 'standalone' | 'tls' | 'acl' | 'cluster';

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Deployment to start (default `standalone`). */
  mode?: RedisTestMode;
  /** Turn AOF on (`appendonly yes`, fsync everysec), as production Redis must be (default true). */
  appendonly?: boolean;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  args?: string[];
}

/** A running Redis for one test file. */
export interface RedisTestServer {
  readonly mode: RedisTestMode;
  /** A `REDIS_URL` value that reaches it (for Cluster, the first node). */
  readonly url: string;
  /** Environment for `parseRedisConfig` (REDIS_URL, and REDIS_CLUSTER_NODES for Cluster). */
  readonly env: Record<string, string>;
  /** Host and port of every node (one for standalone). */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** Stops every node gracefully, as Redis going away would look to clients. */
  stop(): Promise<void>;
  /** Starts every node again on the same ports and data (AOF survives). */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
  /** Stops everything and removes its files; safe to call twice. */
  dispose(): Promise<void>;
}

const HOST = '127.0.0.1';

function aofArgs(appendonly: boolean): string[] {
  return appendonly ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : [];
}

async function startStandalone(options: StartRedisOptions): Promise<RedisTestServer> {
  const port = await freePort();
  const server = new RedisServerProcess({
    port,
    args: [...aofArgs(options.appendonly ?? true), ...(options.args ?? [])],
  });
  await server.start();
  const url = `redis://${HOST}:${port}/0`;
  return {
    mode: 'standalone',
    url,
    env: { REDIS_URL: url },
    nodes: [{ host: HOST, port }],
    stop: () => server.stop(),
    start: () => server.start(),
    restart: () => server.restart(),
    dispose: () => server.dispose(),
  };
}

/**
 * Starts a real Redis for a test: a `redis-server` process on a free loopback port in a
 * temporary directory. Always pair it with `dispose()` (see `useRedis` for jest).
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisTestServer> {
  const mode = options.mode ?? 'standalone';
  switch (mode) {
    case 'standalone':
      return startStandalone(options);
    default:
      throw new Error(`redis test mode ${mode} is not implemented yet`);
  }
}
