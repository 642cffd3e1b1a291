import { useRedis, waitFor } from '@rebal/redis-testing';
import { StreamPublisher, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { AlertStore } from '../store';
import { Connections, must, readStream, type AlertEventPayload } from '../store/test/store-test-kit';
import { priceEvent, processorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

/**
 * `symbols` × `perSymbol` price events, in time order per symbol: the first 40 % under 100,
 * then 100..199 (S1) and, from 70 %, 200+ (S2). Whatever order replicas handle them in, each
 * symbol ends with exactly one alert, firing at S2 (events older than the last accepted one
 * are ignored, and no accepted event clears it).
 */
function priceRamp(symbols: number, perSymbol: number): CloudEvent[] {
  const events: CloudEvent[] = [];
  for (let i = 0; i < perSymbol; i += 1) {
    for (let n = 0; n < symbols; n += 1) {
      const share = i / perSymbol;
      const price = share < 0.4 ? 50 : share < 0.7 ? 150 : 250;
      events.push(priceEvent(`SYM${n}`, price, T0 + i * 1000, `evt-${n}-${i}`));
    }
  }
  return events;
}

async function addRules(store: AlertStore, symbols: number): Promise<void> {
  for (let n = 0; n < symbols; n += 1) {
    await store.putRule({ id: `sym${n}`, name: `SYM${n}`, kind: 'price_threshold', symbol: `SYM${n}`, direction: 'above', severities: { S1: 100, S2: 200 } });
  }
}

/** Every symbol has exactly one alert, firing at S2, and the stream holds each change exactly once. */
async function expectOneAlertPerSymbol(redis: RedisConnection, store: AlertStore, symbols: number): Promise<void> {
  const alerts = (await store.list({ limit: 500 })).items.filter((alert) => alert.ruleId !== 'escalation');
  expect(alerts).toHaveLength(symbols);
  expect(new Set(alerts.map((alert) => alert.labels['symbol'])).size).toBe(symbols);
  expect(alerts.every((alert) => alert.status === 'firing' && alert.severity === 'S2')).toBe(true);
  const stream = await readStream(redis, store.keys.stream);
  expect(new Set(stream.map(({ event }) => event.id)).size).toBe(stream.length);
  const raised = stream.filter(({ event }) => event.type === 'alert.raised');
  expect(raised).toHaveLength(symbols);
  for (const alert of alerts) {
    const history = await store.history(alert.id);
    expect(history.map((change) => change.alert.version)).toEqual(history.map((_, i) => i + 1));
    expect(must(history[history.length - 1]).alert).toEqual(alert);
    const onStream = stream.filter(({ event }) => event.subject === alert.id);
    expect(onStream.map(({ event }) => (event.data as AlertEventPayload).alert)).toEqual(history.map((change) => change.alert));
  }
}

describe('work sharing between alert-service replicas (partitions leased, each subject evaluated by one replica at a time)', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);

  it('two processors splitting 2,000 price events concurrently, with redeliveries, raise every expected alert exactly once', async () => {
    const symbols = 20;
    const one = processorHarness(connections.connect(redis.server, 'replica-a'), { instanceId: 'replica-a' });
    const two = processorHarness(connections.connect(redis.server, 'replica-b'), { instanceId: 'replica-b', store: one.store, shareStreams: one.streams });
    await addRules(one.store, symbols);
    // Both take their share: the first takes all, the second joins, the first hands half over.
    await one.processor.syncOnce();
    await two.processor.syncOnce();
    await one.processor.syncOnce();
    await two.processor.syncOnce();
    expect([one.processor.replica.owned.length, two.processor.replica.owned.length]).toEqual([8, 8]);
    const publisher = new StreamPublisher({ redis: connections.connect(redis.server), maxLen: 1_000_000, registry: new Registry() });
    const events = priceRamp(symbols, 100);
    for (let i = 0; i < events.length; i += 500) await publisher.publishMany(one.streams.market_data, events.slice(i, i + 500));

    // Both read the whole stream at once; every 10th batch is handed to each again, as after a takeover.
    const outcomes = await Promise.all([one, two].map(async (harness) => {
      const seen = await harness.processor.replica.pollOnce();
      const entries = (await connections.connect(redis.server).xrange(harness.streams.market_data, '-', '+')) as Array<[string, string[]]>;
      for (let i = 0; i < entries.length; i += 100) if ((i / 100) % 10 === 0) seen.push(...(await harness.processor.replica.handleBatch(harness.streams.market_data, entries.slice(i, i + 100))));
      return seen;
    }));

    await expectOneAlertPerSymbol(connections.connect(redis.server), one.store, symbols);
    // Each symbol was evaluated by exactly one of them, and both did their share.
    const evaluated = outcomes.map((list) => new Set(list.filter((outcome) => outcome.status === 'committed' || outcome.status === 'skipped').map((outcome) => events.find((event) => event.id === outcome.eventId)?.subject)));
    expect(evaluated.every((set) => set.size > 0)).toBe(true);
    expect([...(evaluated[0] as Set<string>)].filter((symbol) => (evaluated[1] as Set<string>).has(symbol))).toEqual([]);
    expect(outcomes.flat().filter((outcome) => outcome.status === 'duplicate').length).toBeGreaterThan(0);
  }, 120_000);

  it('two running replicas over 10,000 events, one killed midway: every expected alert exactly once, the group\'s position at the end, nothing pending', async () => {
    const symbols = 50;
    const admin = connections.connect(redis.server, 'admin');
    const setup = processorHarness(admin);
    await addRules(setup.store, symbols);
    const publisher = new StreamPublisher({ redis: admin, maxLen: 1_000_000, registry: new Registry() });
    const events = priceRamp(symbols, 200);
    const stream = setup.streams.market_data;

    const startReplica = async (name: string) => {
      const command = connections.connect(redis.server, `${name}-cmd`);
      const harness = processorHarness(command, { instanceId: name, store: setup.store, shareStreams: setup.streams, processorOptions: { leaseTtlMs: 1_000 } });
      const blocking: RedisConnection[] = [];
      const stop = await harness.startLive(() => {
        const connection = connections.connect(redis.server, `${name}-block`);
        blocking.push(connection);
        return connection;
      });
      return { command, blocking, harness, stop };
    };
    const a = await startReplica('replica-a');
    const b = await startReplica('replica-b');
    for (let i = 0; i < events.length; i += 1000) await publisher.publishMany(stream, events.slice(i, i + 1000));
    const progress = async () => {
      const [info] = (await admin.xinfo('GROUPS', stream)) as unknown[][];
      const fields = must(info);
      return { lag: fields[fields.indexOf('lag') + 1], pending: Number(fields[fields.indexOf('pending') + 1]), last: String(fields[fields.indexOf('last-delivered-id') + 1]) };
    };
    await waitFor(async () => b.harness.notified.length + a.harness.notified.length >= 20, { timeoutMs: 60_000, message: 'some alerts raised by both' });

    // Replica A dies: its sockets close with events read and not yet checkpointed.
    a.command.disconnect();
    for (const connection of a.blocking) connection.disconnect();
    // Its loop only fails from here on; end it so no timer of the dead replica outlives the test.
    await a.stop().catch(() => undefined);

    const [last] = (await admin.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    await waitFor(async () => {
      const { lag, pending, last: delivered } = await progress();
      return Number(lag) === 0 && pending === 0 && delivered === must(last)[0];
    }, { timeoutMs: 90_000, message: 'every event applied by the surviving replica (the group at the end of the stream)' });
    expect(b.harness.processor.replica.owned).toHaveLength(16);
    await b.stop();

    await expectOneAlertPerSymbol(admin, setup.store, symbols);
    expect(await admin.xlen(`${stream}:dlq`)).toBe(0);
  }, 180_000);
});
