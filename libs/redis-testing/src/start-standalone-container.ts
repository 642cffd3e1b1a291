import type { RedisContainer } from '@testcontainers/redis';
import Redis from 'ioredis';
import { detectRedisTestServer, type RedisTestServerSoftware } from './detect-redis-test-server';
import { freePort } from './free-port';
import { loadTestcontainers } from './load-testcontainers';
import { nodeServerArgs } from './node-server-args';
import type { RedisTestServer } from './redis-test-server';
import type { StartRedisOptions } from './start-redis-options';
import { waitFor } from './wait-for';

/** How long (ms) Redis gets to write its AOF and exit on a container stop or restart before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Polls PING until the server answers PONG (it refuses, or answers LOADING, while it starts). */
async function waitUntilReady(host: string, port: number): Promise<void> {
  const client = new Redis({ host, port, lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  try {
    await waitFor(async () => (await client.ping()) === 'PONG', {
      timeoutMs: 30_000,
      intervalMs: 100,
      message: `redis container on ${host}:${port} did not answer PING`,
    });
  } finally {
    client.disconnect();
  }
}

/**
 * The (not yet started) testcontainers Redis for `options`: the server of `software`
 * (`redis-server` in `redis:7.0`, or `valkey-server` in `valkey/valkey:8.0`, unless
 * {@link StartRedisOptions.image} says otherwise) with the same AOF and `args` as the process
 * runtime, its port 6379 published on `hostPort`.
 */
export function defineRedisContainer(
  options: StartRedisOptions,
  hostPort: number,
  software: RedisTestServerSoftware = detectRedisTestServer(),
): RedisContainer {
  const { RedisContainer } = loadTestcontainers().redis;
  return new RedisContainer(options.image ?? software.image)
    .withCommand([software.command, ...nodeServerArgs(options)])
    .withExposedPorts({ container: 6379, host: hostPort });
}

/**
 * Starts `standalone` mode in a container with `@testcontainers/redis` (image
 * {@link StartRedisOptions.image}, else the one of `REDIS_TEST_SERVER`'s engine; the same AOF
 * and `args` as the process runtime). The host
 * port is fixed at start, so `url` stays valid across `stop()`/`start()` and `restart()`,
 * which stop and start the same container (its `/data` volume, hence the AOF, survives).
 * Best effort: it needs a container runtime, which the machines this was written on lack.
 */
export async function startStandaloneContainer(options: StartRedisOptions): Promise<RedisTestServer> {
  const { getContainerRuntimeClient } = loadTestcontainers().testcontainers;
  const software = detectRedisTestServer();
  const image = options.image ?? software.image;
  let container;
  try {
    container = await defineRedisContainer(options, await freePort(), software).start();
  } catch (error) {
    // testcontainers lives outside jest's sandbox (see loadTestcontainers), so no `instanceof Error`.
    const message = (error as { message?: unknown } | undefined)?.message;
    const reason = typeof message === 'string' ? message : String(error);
    throw new Error(`cannot start a Redis container from ${image} (is a container runtime running?): ${reason}`, {
      cause: error,
    });
  }
  const started = container;
  const host = started.getHost();
  const port = started.getMappedPort(6379);
  const url = `redis://${host}:${port}/0`;
  const dockerContainer = async () => {
    const client = await getContainerRuntimeClient();
    return { client, handle: client.container.getById(started.getId()) };
  };
  let disposing: Promise<void> | undefined;
  const assertLive = () => {
    if (disposing) throw new Error('redis test server (standalone container) was disposed; it cannot start again');
  };

  return {
    mode: 'standalone',
    runtime: 'container',
    url,
    adminUrl: url,
    env: { REDIS_URL: url },
    nodes: [{ host, port }],
    processes: [],
    stop: async () => {
      assertLive();
      const { client, handle } = await dockerContainer();
      await client.container.stop(handle, { timeout: STOP_GRACE_MS });
    },
    start: async () => {
      assertLive();
      const { client, handle } = await dockerContainer();
      const state = await client.container.inspect(handle);
      if (!state.State.Running) await client.container.start(handle);
      await waitUntilReady(host, port);
    },
    restart: async () => {
      assertLive();
      await started.restart({ timeout: STOP_GRACE_MS });
      await waitUntilReady(host, port);
    },
    dispose: () => {
      disposing ??= started.stop({ timeout: STOP_GRACE_MS }).then(() => undefined);
      return disposing;
    },
  };
}
