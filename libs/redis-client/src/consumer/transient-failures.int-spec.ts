import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createRedisConnection } from '../connection/create-redis-connection';
import { parseRedisConfig } from '../config/parse-redis-config';
import type { RedisConnection } from '../connection/redis-connection';
import { createEvent } from '../events/cloud-event';
import { encodeEvent } from '../events/event-codec';
import { ConsumerGroupRunner } from './consumer-group-runner';

const redis = useRedis();

describe('ConsumerGroupRunner and Redis being away', () => {
  const connections: RedisConnection[] = [];
  const connect = (blocking: boolean) => {
    const connection = createRedisConnection(parseRedisConfig(redis.server.env).main, { name: `transient-${connections.length}`, blocking });
    connections.push(connection);
    return connection;
  };
  afterAll(() => connections.forEach((connection) => connection.disconnect()));

  /** A runner over a new stream holding one price event, quick to redeliver (claims after 50 ms) and to give up (2 deliveries). */
  async function startRunner(name: string, handler: () => Promise<void>): Promise<{ command: RedisConnection; stream: string; runner: ConsumerGroupRunner }> {
    const command = connect(false);
    const stream = `${name}-${Date.now()}`;
    const runner = new ConsumerGroupRunner({
      redis: command,
      blockingRedis: connect(true),
      ownsBlockingConnection: true,
      stream,
      group: 'g',
      consumer: 'c1',
      startId: '0',
      maxDeliveries: 2,
      claimIdleMs: 50,
      claimIntervalMs: 50,
      registry: new Registry(),
      handler,
    });
    await command.xadd(stream, '*', ...encodeEvent(createEvent({ type: 'price_update', source: '/test', subject: 'BTC', data: { symbol: 'BTC', price: 1, currency: 'USD' } })));
    await runner.start();
    return { command, stream, runner };
  }

  it('never dead-letters an event whose handler failed only because Redis was unavailable, however often', async () => {
    let calls = 0;
    const { command, stream, runner } = await startRunner('transient', async () => {
      calls += 1;
      // The error ioredis gives a command sent while its connection reconnects.
      if (calls <= 6) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    });
    try {
      await waitFor(async () => calls >= 7 && Number((await command.xpending(stream, 'g'))[0]) === 0, { timeoutMs: 15_000, message: () => `the event handled after 6 transient failures (calls ${calls})` });
      expect(await command.exists(`${stream}:dlq`)).toBe(0);
    } finally {
      await runner.stop();
    }
  });

  it('still dead-letters an event whose handler fails for a reason of its own', async () => {
    const { command, stream, runner } = await startRunner('poison', async () => {
      throw new Error('price must be positive');
    });
    try {
      await waitFor(async () => (await command.xlen(`${stream}:dlq`)) === 1, { timeoutMs: 15_000, message: 'the poison event dead-lettered' });
    } finally {
      await runner.stop();
    }
  });
});
