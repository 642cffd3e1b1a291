import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { parseRedisConfig } from '../config';
import { createRedisConnection } from '../connection/create-redis-connection';
import { duplicateConnection } from '../connection/duplicate-connection';
import type { RedisConnection } from '../connection/redis-connection';
import { ConsumerGroupRunner } from './consumer-group-runner';
import { HandledLog, publishPrices } from './test/consumer-test-kit';

/** A Redis that stops answering without closing its sockets (SIGSTOP; a black-holed link looks the same). */
describe('ConsumerGroupRunner and a Redis that hangs', () => {
  let server: RedisTestServer | undefined;
  const connections: RedisConnection[] = [];
  beforeAll(async () => {
    server = await startRedis({ appendonly: false });
  }, 60_000);
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await server?.dispose();
  }, 60_000);

  it('issue 11 item 29: stops reporting reading once a read outlasts BLOCK plus the read timeout, and reads again after SIGCONT', async () => {
    if (!server) throw new Error('no server');
    const pid = server.processes[0]?.pid;
    if (pid === undefined) throw new Error('no redis-server process to pause');
    const config = parseRedisConfig({ ...server.env, REDIS_COMMAND_TIMEOUT: '500ms' }).main;
    const command = createRedisConnection(config, { retry: { baseMs: 20, maxMs: 200 } });
    const blocking = duplicateConnection(command);
    connections.push(command, blocking);
    const stream = `hang:${randomUUID()}`;
    const handled = new HandledLog();
    const runner = new ConsumerGroupRunner({
      redis: command,
      blockingRedis: blocking,
      ownsBlockingConnection: true,
      stream,
      group: 'workers',
      consumer: 'c1',
      blockMs: 200,
      readTimeoutMs: 500,
      registry: new Registry(),
      handler: async (event) => handled.record(event.id),
    });
    try {
      await runner.start();
      await publishPrices(command, stream, 0, 1);
      await waitFor(() => handled.distinct === 1 && runner.reading, { message: 'the first event handled' });
      process.kill(pid, 'SIGSTOP');
      try {
        await waitFor(() => !runner.reading, { timeoutMs: 5_000, message: 'the runner still says it is reading from a hung Redis' });
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await waitFor(() => runner.reading, { timeoutMs: 10_000, message: 'reading never resumed' });
      await publishPrices(command, stream, 1, 1);
      await waitFor(() => handled.distinct === 2, { timeoutMs: 10_000, message: 'the event published after the hang handled' });
    } finally {
      await runner.stop();
    }
  }, 30_000);
});
