import { useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { RedisConnection } from '../connection/redis-connection';
import { ConsumerGroupRunner } from './consumer-group-runner';
import type { ConsumerGroupRunnerOptions } from './consumer-group-runner-options';
import { gate, HandledLog, pendingCount, publishPrices } from './test/consumer-test-kit';

const redis = useRedis();

/**
 * Entries a runner has read but that wait for a handler slot (more read than `concurrency`)
 * must not look idle to XAUTOCLAIM: no delivery is counted for them, no other consumer takes
 * them over, and they are never dead-lettered for it. The numbers are those of issue 11
 * item 21: one slot, reads of 40, handlers of 40 ms (a batch takes 1.6 s) and a claim idle
 * time of 450 ms.
 */
describe('ConsumerGroupRunner with more entries read than handler slots', () => {
  const connections: RedisConnection[] = [];
  const runners: ConsumerGroupRunner[] = [];
  const connect = (): RedisConnection => {
    const connection = new Redis(redis.server.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };
  afterEach(async () => {
    await Promise.allSettled(runners.splice(0).map((runner) => runner.stop()));
    await Promise.allSettled(connections.splice(0).map((connection) => connection.quit()));
  });

  const HANDLER_MS = 40;
  const EVENTS = 40;

  function newRunner(stream: string, consumer: string, setup: Partial<ConsumerGroupRunnerOptions> & Pick<ConsumerGroupRunnerOptions, 'handler'>) {
    const runner = new ConsumerGroupRunner({
      redis: connect(),
      blockingRedis: connect(),
      ownsBlockingConnection: true,
      stream,
      group: 'workers',
      consumer,
      concurrency: 1,
      count: EVENTS,
      blockMs: 200,
      claimIdleMs: 450,
      claimIntervalMs: 100,
      registry: new Registry(),
      ...setup,
    });
    runners.push(runner);
    return runner;
  }

  it('issue 11 item 21: the first run of every entry reports deliveries: 1', async () => {
    const stream = `queued:${randomUUID()}`;
    const firstRun = new Map<string, number>();
    const runner = newRunner(stream, 'c1', {
      handler: async (event, entry) => {
        if (!firstRun.has(event.id)) firstRun.set(event.id, entry.deliveries);
        await delay(HANDLER_MS);
      },
    });
    await runner.start();
    const probe = connect();
    await publishPrices(probe, stream, 0, EVENTS);
    await waitFor(() => firstRun.size === EVENTS, { timeoutMs: 20_000, message: 'every event handled' });
    const counted = [...firstRun].filter(([, deliveries]) => deliveries !== 1).map(([id, deliveries]) => `${id}:${deliveries}`);
    expect(counted).toEqual([]);
    await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === 0, { message: 'all acked' });
  }, 30_000);

  it('issue 11 item 21: an entry that always fails runs maxDeliveries times before it is dead-lettered', async () => {
    const stream = `queued:${randomUUID()}`;
    const attempts: number[] = [];
    const runner = newRunner(stream, 'c1', {
      maxDeliveries: 3,
      handler: async (event, entry) => {
        await delay(HANDLER_MS);
        if (event.id === `evt-${EVENTS - 1}`) {
          attempts.push(entry.deliveries);
          throw new Error('always fails');
        }
      },
    });
    await runner.start();
    const probe = connect();
    await publishPrices(probe, stream, 0, EVENTS);
    await waitFor(async () => (await probe.xlen(runner.dlqKey)) === 1, { timeoutMs: 20_000, message: 'dead-lettered' });
    expect(attempts).toEqual([1, 2, 3]);
  }, 30_000);

  it('issue 11 item 21: a second consumer never runs an entry that the first has read and still holds', async () => {
    const stream = `queued:${randomUUID()}`;
    const handled = new HandledLog();
    const running = new Set<string>();
    const overlaps: string[] = [];
    const byConsumer = { c1: 0, c2: 0 };
    const handler = (consumer: 'c1' | 'c2') => async (event: { id: string }) => {
      if (running.has(event.id)) overlaps.push(event.id);
      running.add(event.id);
      try {
        await delay(HANDLER_MS);
      } finally {
        running.delete(event.id);
      }
      handled.record(event.id);
      byConsumer[consumer] += 1;
    };
    const live = newRunner(stream, 'c1', { handler: handler('c1') });
    await live.start();
    const probe = connect();
    await publishPrices(probe, stream, 0, EVENTS);
    // c1 has read the whole batch in one XREADGROUP; c2 then only has claims to go by.
    await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === EVENTS, { message: 'c1 read the batch' });
    const idle = newRunner(stream, 'c2', { concurrency: 10, handler: handler('c2') });
    await idle.start();
    await waitFor(() => handled.distinct === EVENTS, { timeoutMs: 20_000, message: 'every event handled' });
    await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === 0, { message: 'all acked' });
    expect(overlaps).toEqual([]);
    expect(handled.duplicates()).toEqual([]);
    expect(byConsumer).toEqual({ c1: EVENTS, c2: 0 });
  }, 30_000);

  it('issue 11 item 21: with maxDeliveries 1 no entry that never failed is dead-lettered', async () => {
    const stream = `queued:${randomUUID()}`;
    const handled = new HandledLog();
    const runner = newRunner(stream, 'c1', {
      maxDeliveries: 1,
      handler: async (event) => {
        await delay(HANDLER_MS);
        handled.record(event.id);
      },
    });
    await runner.start();
    const probe = connect();
    await publishPrices(probe, stream, 0, EVENTS);
    await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === 0, { timeoutMs: 20_000, message: 'all acked' });
    expect(await probe.xlen(runner.dlqKey)).toBe(0);
    expect(handled.distinct).toBe(EVENTS);
  }, 30_000);

  it('issue 11 item 21: a queued entry that another consumer claimed meanwhile is left to it', async () => {
    const stream = `queued:${randomUUID()}`;
    const held = gate();
    const started: string[] = [];
    const runner = newRunner(stream, 'c1', {
      claimIdleMs: 300,
      handler: async (event) => {
        started.push(event.id);
        if (event.id === 'evt-0') await held.promise;
      },
    });
    try {
      await runner.start();
      const probe = connect();
      await publishPrices(probe, stream, 0, 5);
      await waitFor(() => started.length === 1, { message: 'evt-0 running' });
      await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === 5, { message: 'c1 read all five' });
      const ids = (await probe.xrange(stream, '-', '+')).map(([id]) => id);
      // As a consumer would whose claim pass ran while c1 could not refresh (a stalled event loop).
      await probe.xclaim(stream, 'workers', 'c2', 0, ids[2], 'JUSTID');
      const claimedAt = Date.now();
      // c1 refreshed its queue after the claim once its other queued entries are younger than the claim.
      await waitFor(async () => {
        const [[, , idleMs]] = (await probe.xpending(stream, 'workers', ids[3], ids[3], 1)) as Array<[string, string, number, number]>;
        return idleMs < Date.now() - claimedAt;
      }, { message: 'c1 refreshed its queued entries' });
      held.open();
      await waitFor(() => started.length === 4, { message: 'the four entries c1 still owns handled' });
      await waitFor(async () => (await pendingCount(probe, stream, 'workers')) === 1, { message: 'only the claimed entry left' });
      expect(started).toEqual(['evt-0', 'evt-1', 'evt-3', 'evt-4']);
    } finally {
      held.open();
    }
  }, 30_000);
});
