/// <reference types="jest" />
import { waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import type { ConsumerSuiteContext } from './consumer-suite-context';
import { HandledLog, pendingCount, publishPrices } from './consumer-test-kit';

/** Fan-out with NOACK, stopping, and the lag and pending gauges. */
export function lifecycleScenarios(suite: ConsumerSuiteContext): void {
  const { open, newRunner, newGate, newStream } = suite;

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
}
