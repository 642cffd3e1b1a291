import { rmSync } from 'node:fs';
import type { RedisTestServer } from './redis-test-server';

/** What {@link processRedisServer} needs besides the processes: the server's public description. */
export type ProcessRedisServerSpec = Omit<RedisTestServer, 'runtime' | 'stop' | 'start' | 'restart' | 'dispose'> & {
  /**
   * Runs after every node has started, on the first start and on every later one, e.g. to
   * form a cluster and wait until it is `ok`. Default: nothing.
   */
  afterStart?: (firstStart: boolean) => Promise<void>;
  /** A directory removed on dispose, after the processes (default: none). */
  rootDir?: string;
};

/** Runs `step` on every item, waits for all of them, and throws every failure at once. */
async function onAll<T>(items: ReadonlyArray<T>, step: (item: T) => Promise<void>, what: string): Promise<void> {
  const results = await Promise.allSettled(items.map(step));
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} redis nodes failed to ${what}`);
}

/**
 * Wraps the `redis-server` processes of one deployment as a {@link RedisTestServer} and
 * starts them. If the first start fails half-way, every process already started is
 * disposed before the error is rethrown, so nothing is left running.
 */
export async function processRedisServer(spec: ProcessRedisServerSpec): Promise<RedisTestServer> {
  const { afterStart, rootDir, processes, ...description } = spec;
  let started = false;
  let disposing: Promise<void> | undefined;

  const start = async (): Promise<void> => {
    if (disposing) throw new Error(`redis test server (${spec.mode}) was disposed; it cannot start again`);
    // Nodes still running (e.g. after one node was killed alone) are left as they are.
    await onAll(processes, async (node) => (node.pid === undefined ? node.start() : undefined), 'start');
    await afterStart?.(!started);
    started = true;
  };
  const stop = (): Promise<void> => onAll(processes, (node) => node.stop(), 'stop');
  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      try {
        await onAll(processes, (node) => node.dispose(), 'stop');
      } finally {
        if (rootDir) rmSync(rootDir, { recursive: true, force: true });
      }
    })();
    return disposing;
  };

  const server: RedisTestServer = {
    ...description,
    runtime: 'process',
    processes,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    dispose,
  };
  try {
    await start();
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
  return server;
}
