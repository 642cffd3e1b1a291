/// <reference types="jest" />
import { waitFor } from '@rebal/redis-testing';
import type { ConsumerSuiteContext } from './consumer-suite-context';
import { consumerPending, eventNumber, HandledLog, pendingCount, publishPrices, type Gate } from './consumer-test-kit';

/** Work sharing in one group: every event handled once, claims from a dead consumer, bounded concurrency. */
export function workSharingScenarios(suite: ConsumerSuiteContext): void {
  const { open, newRunner, newGate, newStream } = suite;

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

  it('hands the entries of a consumer killed mid-batch over to the other consumer of the group', async () => {
    const stream = newStream();
    const group = 'workers';
    const handled = new HandledLog();
    const hang = newGate();
    const stuck = new Set<string>();
    const redelivered = new Set<string>();
    let survivorHandled = 0;
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
    const survivor = newRunner(open(), {
      stream,
      group,
      consumer: 'survivor',
      // Long enough that nothing is claimed before the kill below, short enough to keep the test quick.
      claimIdleMs: 2_000,
      claimIntervalMs: 200,
      handler: async (event, entry) => {
        if (entry.deliveries > 1) redelivered.add(event.id);
        handled.record(event.id);
        survivorHandled += 1;
      },
    });
    // Both share the group from the start, as two replicas do.
    await Promise.all([dying.start(), survivor.start()]);
    await publishPrices(first.command, stream, 0, 10_000);
    // All ten slots of one consumer hang: it holds those entries and the rest of its batch unacked.
    await waitFor(() => stuck.size >= 10, { timeoutMs: 30_000, message: 'handlers hanging' });
    expect(await consumerPending(first.command, stream, group, 'dying')).toBeGreaterThanOrEqual(10);
    await waitFor(() => survivorHandled > 0, { message: 'the other consumer handled nothing while both were up' });
    first.command.disconnect();
    first.blocking.disconnect();

    await waitFor(() => handled.distinct === 10_000, { timeoutMs: 60_000, message: 'all events handled' });
    const probe = open().command;
    await waitFor(async () => (await pendingCount(probe, stream, group)) === 0, { message: 'all acked' });
    expect(await consumerPending(probe, stream, group, 'dying')).toBe(0);
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

  it('runs at most `concurrency` handlers at once and starts the next one as soon as one finishes', async () => {
    const stream = newStream();
    const pair = open();
    const gates = new Map<string, Gate>();
    const gateOf = (eventId: string): Gate => {
      let held = gates.get(eventId);
      if (!held) {
        held = newGate();
        gates.set(eventId, held);
      }
      return held;
    };
    const started: string[] = [];
    let active = 0;
    let maxActive = 0;
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      concurrency: 3,
      handler: async (event) => {
        started.push(event.id);
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          await gateOf(event.id).promise;
        } finally {
          active -= 1;
        }
      },
    });
    await runner.start();
    await publishPrices(pair.command, stream, 0, 12);
    // One read takes all 12 (COUNT 100): they are pending while only 3 handlers run.
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 12, { message: 'all 12 read' });
    await waitFor(() => active === 3, { message: () => `${active} handlers running, expected 3` });
    // Each handler is released only once it has started, so an unbounded runner would start all 12 at once.
    for (let n = 0; n < 12; n++) {
      await waitFor(() => started.includes(`evt-${n}`), { message: `evt-${n} never started` });
      gateOf(`evt-${n}`).open();
    }
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0, { message: 'all acked' });
    expect(maxActive).toBe(3);
    expect(started).toEqual(Array.from({ length: 12 }, (_, n) => `evt-${n}`));
  }, 30_000);
}
