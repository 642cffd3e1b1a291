/// <reference types="jest" />
import { waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { RedisConnection } from '../../connection/redis-connection';
import { encodeEvent } from '../../events/event-codec';
import { ConsumerGroupRunner } from '../consumer-group-runner';
import type { ConsumerGroupRunnerOptions } from '../consumer-group-runner-options';
import type { DeadLetterNotice } from '../dead-letter';
import { capturingLogger, fieldsToObject, gate, HandledLog, pendingCount, priceEvent, publishPrices, type Gate } from './consumer-test-kit';

/** The two connections a runner needs: one for commands, one of its own for XREADGROUP BLOCK. */
export interface ConsumerSuiteConnections {
  command: RedisConnection;
  blocking: RedisConnection;
}

/** Switches for deployments where a scenario cannot run. */
export interface ConsumerSuiteOptions {
  /** Run the Redis-restart scenario (default true). */
  restart?: boolean;
}

type RunnerSetup = Pick<ConsumerGroupRunnerOptions, 'stream' | 'group' | 'consumer' | 'handler'> & Partial<ConsumerGroupRunnerOptions>;

const eventNumber = (eventId: string): number => Number(eventId.slice('evt-'.length));

/**
 * The publish/consume scenarios of `ConsumerGroupRunner`, against one kind of deployment:
 * `start` brings up a Redis for the whole suite, `connect` opens a new pair of connections
 * to it (called once per consumer; the suite closes them). Each test uses its own stream.
 */
export function describeConsumerSuite(
  name: string,
  start: () => Promise<RedisTestServer>,
  connect: (server: RedisTestServer) => ConsumerSuiteConnections,
  suiteOptions: ConsumerSuiteOptions = {},
): void {
  describe(`ConsumerGroupRunner (${name})`, () => {
    let server: RedisTestServer | undefined;
    const opened: RedisConnection[] = [];
    const runners: ConsumerGroupRunner[] = [];
    const gates: Gate[] = [];

    beforeAll(async () => {
      server = await start();
    }, 120_000);
    afterAll(async () => {
      await server?.dispose();
    }, 60_000);
    afterEach(async () => {
      for (const held of gates.splice(0)) held.open();
      await Promise.allSettled(runners.splice(0).map((runner) => runner.stop()));
      await Promise.allSettled(
        opened.splice(0).map(async (connection) => {
          // disconnect() on an ended connection arms a 2 s timer in ioredis that outlives the file.
          if (connection.status === 'ready') await connection.quit();
          else if (connection.status !== 'end') connection.disconnect();
        }),
      );
    }, 30_000);

    const open = (): ConsumerSuiteConnections => {
      if (!server) throw new Error('no server');
      const pair = connect(server);
      opened.push(pair.command, pair.blocking);
      return pair;
    };
    const newRunner = (pair: ConsumerSuiteConnections, setup: RunnerSetup): ConsumerGroupRunner => {
      const runner = new ConsumerGroupRunner({ redis: pair.command, blockingRedis: pair.blocking, blockMs: 500, ...setup });
      runners.push(runner);
      return runner;
    };
    const newGate = (): Gate => {
      const held = gate();
      gates.push(held);
      return held;
    };
    const newStream = (): string => `cgr:${randomUUID()}`;

    it('shares 10,000 events between two consumers of one group and handles each exactly once', async () => {
      const stream = newStream();
      const handled = new HandledLog();
      const perConsumer = { a: 0, b: 0 };
      const [a, b] = (['a', 'b'] as const).map((consumer) =>
        newRunner(open(), {
          stream,
          group: 'workers',
          consumer,
          handler: async (event) => {
            handled.record(event.id);
            perConsumer[consumer] += 1;
          },
        }),
      );
      await Promise.all([a.start(), b.start()]);
      const publisher = open().command;
      await publishPrices(publisher, stream, 0, 10_000);
      await waitFor(() => handled.distinct === 10_000, { timeoutMs: 60_000, message: 'all events handled' });
      await waitFor(async () => (await pendingCount(publisher, stream, 'workers')) === 0, { message: 'all acked' });
      expect(handled.duplicates()).toEqual([]);
      expect(handled.total).toBe(10_000);
      expect(perConsumer.a).toBeGreaterThan(0);
      expect(perConsumer.b).toBeGreaterThan(0);
    }, 90_000);

    it('hands the entries of a consumer killed mid-batch over to another consumer of the group', async () => {
      const stream = newStream();
      const group = 'workers';
      const handled = new HandledLog();
      const hang = newGate();
      const stuck = new Set<string>();
      const first = open();
      const dying = newRunner(first, {
        stream,
        group,
        consumer: 'dying',
        concurrency: 10,
        handler: async (event) => {
          if (eventNumber(event.id) % 50 === 25) {
            stuck.add(event.id);
            await hang.promise;
            return;
          }
          handled.record(event.id);
        },
      });
      await dying.start();
      await publishPrices(first.command, stream, 0, 10_000);
      // All ten slots hang: the consumer now holds those entries and the rest of its batch unacked.
      await waitFor(() => stuck.size >= 10, { timeoutMs: 30_000, message: 'handlers hanging' });
      const pendingAtDeath = await pendingCount(first.command, stream, group);
      expect(pendingAtDeath).toBeGreaterThanOrEqual(10);
      first.command.disconnect();
      first.blocking.disconnect();

      const redelivered = new Set<string>();
      const survivor = newRunner(open(), {
        stream,
        group,
        consumer: 'survivor',
        claimIdleMs: 500,
        claimIntervalMs: 200,
        handler: async (event, entry) => {
          if (entry.deliveries > 1) redelivered.add(event.id);
          handled.record(event.id);
        },
      });
      await survivor.start();
      await waitFor(() => handled.distinct === 10_000, { timeoutMs: 60_000, message: 'all events handled' });
      const probe = open().command;
      await waitFor(async () => (await pendingCount(probe, stream, group)) === 0, { message: 'all acked' });
      for (const id of stuck) expect(redelivered.has(id)).toBe(true);
      expect(redelivered.size).toBeGreaterThanOrEqual(stuck.size);
    }, 90_000);

    it('resumes its own pending entries first when a consumer comes back under the same name', async () => {
      const stream = newStream();
      const group = 'workers';
      const handled = new HandledLog();
      const hang = newGate();
      const stuck = new Set<string>();
      const first = open();
      const crashed = newRunner(first, {
        stream,
        group,
        consumer: 'pod-0',
        handler: async (event) => {
          if (eventNumber(event.id) % 10 === 3) {
            stuck.add(event.id);
            await hang.promise;
            return;
          }
          handled.record(event.id);
        },
      });
      await crashed.start();
      await publishPrices(first.command, stream, 0, 500);
      await waitFor(() => stuck.size >= 10, { message: 'handlers hanging' });
      first.command.disconnect();
      first.blocking.disconnect();

      const redelivered = new Map<string, number>();
      // Claims are effectively off: only the re-read of its own pending list can bring the entries back.
      const restarted = newRunner(open(), {
        stream,
        group,
        consumer: 'pod-0',
        claimIdleMs: 600_000,
        handler: async (event, entry) => {
          if (entry.deliveries > 1) redelivered.set(event.id, entry.deliveries);
          handled.record(event.id);
        },
      });
      await restarted.start();
      await waitFor(() => handled.distinct === 500, { timeoutMs: 20_000, message: 'all events handled' });
      for (const id of stuck) expect(redelivered.get(id)).toBe(2);
      const probe = open().command;
      await waitFor(async () => (await pendingCount(probe, stream, group)) === 0, { message: 'all acked' });
    }, 60_000);

    it('moves a poison entry to the dead-letter stream after 5 deliveries and goes on with the others', async () => {
      const stream = newStream();
      const registry = new Registry();
      const attempts: number[] = [];
      const handled = new HandledLog();
      const notices: DeadLetterNotice[] = [];
      const pair = open();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        claimIdleMs: 300,
        claimIntervalMs: 100,
        registry,
        handler: async (event, entry) => {
          if (event.id === 'evt-50') {
            attempts.push(entry.deliveries);
            throw new Error('cannot price BTC: upstream said no');
          }
          handled.record(event.id);
        },
      });
      runner.on('dead-letter', (notice) => notices.push(notice));
      await runner.start();
      await publishPrices(pair.command, stream, 0, 100);
      await waitFor(async () => (await pair.command.xlen(runner.dlqKey)) === 1, { timeoutMs: 20_000, message: 'dead-lettered' });
      await waitFor(() => handled.distinct === 99);
      expect(runner.dlqKey).toBe(`${stream}:dlq`);
      expect(attempts).toEqual([1, 2, 3, 4, 5]);
      const [[deadId, fields]] = await pair.command.xrange(runner.dlqKey, '-', '+');
      const dead = fieldsToObject(fields);
      const [[originalId]] = await pair.command.xrange(stream, '-', '+', 'COUNT', 51).then((all) => all.slice(50));
      expect(dead).toMatchObject({
        id: 'evt-50',
        type: 'price_update',
        data: JSON.stringify(priceEvent(50).data),
        dlq_reason: 'max-deliveries',
        dlq_error: 'cannot price BTC: upstream said no',
        dlq_stream: stream,
        dlq_id: originalId,
        dlq_group: 'workers',
        dlq_deliveries: '5',
      });
      expect(Date.parse(dead['dlq_time'])).not.toBeNaN();
      expect(notices).toEqual([expect.objectContaining({ id: originalId, reason: 'max-deliveries', deliveries: 5, deadLetterId: deadId })]);
      await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
      const metric = await registry.getSingleMetric('rebal_consumer_events_dead_lettered_total')?.get();
      expect(metric?.values).toEqual([{ labels: { stream, group: 'workers', reason: 'max-deliveries' }, value: 1 }]);
    }, 60_000);

    it('dead-letters malformed entries at once with the reason and processes the rest', async () => {
      const stream = newStream();
      const pair = open();
      const handled = new HandledLog();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        handler: async (event) => handled.record(event.id),
      });
      await runner.start();
      const withData = (data: string) => encodeEvent(priceEvent(1)).map((value, i, all) => (all[i - 1] === 'data' ? data : value));
      const malformed: Array<[string[], string | RegExp]> = [
        [withData('{"symbol": "BTC", "price": '), /^data is not valid JSON/],
        [['specversion', '1.0', 'id', 'evt-x', 'type', 'price_update', 'data', '{}'], 'missing fields source, time, datacontenttype'],
        [withData(JSON.stringify({ symbol: 'BTC', price: 0, currency: 'USD' })), 'data/price must be > 0'],
        [encodeEvent({ ...priceEvent(2), type: 'price_teleported' }), 'unknown event type "price_teleported"'],
      ];
      await publishPrices(pair.command, stream, 100, 10);
      for (const [fields] of malformed) await pair.command.xadd(stream, '*', ...fields);
      await publishPrices(pair.command, stream, 200, 10);
      await waitFor(async () => (await pair.command.xlen(runner.dlqKey)) === malformed.length, { message: 'all malformed dead-lettered' });
      await waitFor(() => handled.distinct === 20);
      const dead = (await pair.command.xrange(runner.dlqKey, '-', '+')).map(([, fields]) => fieldsToObject(fields));
      dead.forEach((entry, i) => {
        expect(entry['dlq_reason']).toBe('invalid');
        expect(entry['dlq_deliveries']).toBe('1');
        expect(entry['dlq_error']).toMatch(malformed[i][1]);
      });
      expect(handled.has('evt-x')).toBe(false);
      await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
    }, 30_000);

    (suiteOptions.restart === false ? it.skip : it)(
      'reconnects after Redis restarts and handles every event, the pending ones included',
      async () => {
        const stream = newStream();
        const handled = new HandledLog();
        const failedOnce = new Set<string>();
        const { logger, messages } = capturingLogger();
        const pair = open();
        const runner = newRunner(pair, {
          stream,
          group: 'workers',
          consumer: 'c1',
          claimIdleMs: 500,
          claimIntervalMs: 200,
          logger,
          handler: async (event) => {
            if (eventNumber(event.id) % 100 === 7 && !failedOnce.has(event.id)) {
              failedOnce.add(event.id);
              throw new Error('transient failure');
            }
            handled.record(event.id);
          },
        });
        await runner.start();
        await publishPrices(pair.command, stream, 0, 2_000);
        await waitFor(() => handled.distinct >= 500, { timeoutMs: 20_000 });
        await server?.restart();
        await publishPrices(pair.command, stream, 2_000, 2_000);
        await waitFor(() => handled.distinct === 4_000, { timeoutMs: 60_000, message: 'all events handled after restart' });
        await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0, { timeoutMs: 20_000 });
        expect(failedOnce.size).toBe(40);
        const registered = messages.filter((message) => message === `Registered consumer for stream: ${stream}`);
        expect(registered.length).toBeGreaterThanOrEqual(2);
      },
      90_000,
    );

    it('creates its group again when it disappears (NOGROUP) and keeps consuming', async () => {
      const stream = newStream();
      const pair = open();
      const handled = new HandledLog();
      const { logger, messages } = capturingLogger();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        logger,
        handler: async (event) => handled.record(event.id),
      });
      await runner.start();
      await publishPrices(pair.command, stream, 0, 10);
      await waitFor(() => handled.distinct === 10);
      expect(await pair.command.xgroup('DESTROY', stream, 'workers')).toBe(1);
      const groupNames = async () => ((await pair.command.xinfo('GROUPS', stream)) as unknown[][]).map((group) => group[1]);
      await waitFor(async () => (await groupNames()).includes('workers'), { message: 'group created again' });
      await publishPrices(pair.command, stream, 10, 10);
      await waitFor(() => handled.distinct === 20);
      expect(messages).toContain('consumer group is gone (NOGROUP); creating it again');
      expect(messages.filter((message) => message === `Registered consumer for stream: ${stream}`).length).toBeGreaterThanOrEqual(2);
      expect(runner.reading).toBe(true);
    }, 30_000);

    it('delivers every event to each fan-out group with NOACK and keeps nothing pending', async () => {
      const stream = newStream();
      const logs = { one: new HandledLog(), two: new HandledLog() };
      const fanOut = (['one', 'two'] as const).map((instance) =>
        newRunner(open(), {
          stream,
          group: `gateway.${instance}`,
          consumer: instance,
          noAck: true,
          handler: async (event) => logs[instance].record(event.id),
        }),
      );
      await Promise.all(fanOut.map((runner) => runner.start()));
      const probe = open().command;
      await publishPrices(probe, stream, 0, 1_000);
      await waitFor(() => logs.one.distinct === 1_000 && logs.two.distinct === 1_000, { timeoutMs: 30_000 });
      expect([logs.one.total, logs.two.total]).toEqual([1_000, 1_000]);
      expect(await pendingCount(probe, stream, 'gateway.one')).toBe(0);
      expect(await pendingCount(probe, stream, 'gateway.two')).toBe(0);

      await expect(fanOut[0].destroyGroup()).rejects.toMatchObject({ code: 'ERR_RUNNER_STATE' });
      await Promise.all(fanOut.map((runner) => runner.stop()));
      expect(await fanOut[0].deleteConsumer()).toBe(0);
      await expect(fanOut[0].destroyGroup()).resolves.toBe(true);
      await expect(fanOut[1].destroyGroup()).resolves.toBe(true);
      expect(await probe.xinfo('GROUPS', stream)).toEqual([]);
    }, 60_000);

    it('finishes an in-flight handler and acks it before stop resolves', async () => {
      const stream = newStream();
      const pair = open();
      const release = newGate();
      let entered = false;
      let finished = false;
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        handler: async () => {
          entered = true;
          await release.promise;
          finished = true;
        },
      });
      await runner.start();
      await publishPrices(pair.command, stream, 0, 1);
      await waitFor(() => entered);
      let stopped = false;
      const stopping = runner.stop().then(() => (stopped = true));
      expect(runner.stop()).toBe(runner.stop());
      await waitFor(() => runner.state === 'stopping');
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      const releasedAt = Date.now();
      release.open();
      await stopping;
      expect(Date.now() - releasedAt).toBeLessThan(500 + 1_500);
      expect(finished).toBe(true);
      expect(runner.state).toBe('stopped');
      expect(await pendingCount(pair.command, stream, 'workers')).toBe(0);
      await expect(runner.start()).rejects.toMatchObject({ code: 'ERR_RUNNER_STATE' });
      await runner.stop();
    }, 30_000);

    it('ends a long BLOCK at once on stop when it owns the blocking connection', async () => {
      const stream = newStream();
      const pair = open();
      const handled = new HandledLog();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        blockMs: 20_000,
        ownsBlockingConnection: true,
        handler: async (event) => handled.record(event.id),
      });
      await runner.start();
      await publishPrices(pair.command, stream, 0, 1);
      // Once the event is handled the runner is back in a 20 s XREADGROUP BLOCK.
      await waitFor(() => handled.distinct === 1);
      const begin = Date.now();
      await runner.stop();
      expect(Date.now() - begin).toBeLessThan(3_000);
      // A Redis ends; an ioredis Cluster stays 'close' after disconnect().
      expect(['end', 'close']).toContain(pair.blocking.status);
    }, 30_000);

    it('reports lag and pending from XINFO GROUPS', async () => {
      const stream = newStream();
      const registry = new Registry();
      const pair = open();
      const handled = new HandledLog();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        registry,
        startId: '0',
        handler: async (event) => handled.record(event.id),
      });
      await publishPrices(pair.command, stream, 0, 20);
      const value = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;
      await pair.command.xgroup('CREATE', stream, 'workers', '0');
      await runner.refreshMetrics();
      expect(await value('rebal_consumer_lag')).toBe(20);
      expect(await value('rebal_consumer_pending')).toBe(0);
      await runner.start();
      await waitFor(() => handled.distinct === 20);
      await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
      await runner.refreshMetrics();
      expect(await value('rebal_consumer_lag')).toBe(0);
      expect(await value('rebal_consumer_events_processed_total')).toBe(20);
    }, 30_000);
  });
}
