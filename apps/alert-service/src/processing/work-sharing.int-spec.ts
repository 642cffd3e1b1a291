import { useRedis, waitFor } from '@rebal/redis-testing';
import { ConsumerGroupRunner, StreamPublisher, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { AlertStore } from '../store';
import { Connections, must, readStream, unique, type AlertEventPayload } from '../store/test/store-test-kit';
import { inPool, priceEvent, processorHarness } from './test/processor-test-kit';

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

describe('work sharing between alert-service replicas', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);

  it('two processors splitting 2,000 price events concurrently, with redeliveries, raise every expected alert exactly once', async () => {
    const symbols = 20;
    const one = processorHarness(connections.connect(redis.server, 'replica-a'));
    const two = processorHarness(connections.connect(redis.server, 'replica-b'), { store: one.store, pricePrefix: `${one.store.keys.stream}:prices:` });
    await addRules(one.store, symbols);
    const events = priceRamp(symbols, 100);
    const mine = (index: number) => (index % 2 === 0 ? one : two);
    // Every 10th event is delivered again to the other replica, as after a claim.
    const deliveries = events.flatMap((event, index) => (index % 10 === 0 ? [[event, mine(index)], [event, mine(index + 1)]] : [[event, mine(index)]]) as Array<[CloudEvent, typeof one]>);

    await inPool(deliveries, 16, ([event, harness]) => harness.processor.process(event));

    await expectOneAlertPerSymbol(connections.connect(redis.server), one.store, symbols);
    const conflicts = async (registry: Registry) => (await must(registry.getSingleMetric('rebal_alert_evaluation_conflicts_total')).get()).values[0]?.value ?? 0;
    // The replicas did collide (same symbols at once) and compare-and-set sorted it out.
    expect((await conflicts(one.registry)) + (await conflicts(two.registry))).toBeGreaterThan(0);
  }, 120_000);

  it('two ConsumerGroupRunners over 10,000 events, one killed midway: every expected alert exactly once, nothing left pending', async () => {
    const symbols = 50;
    const admin = connections.connect(redis.server, 'admin');
    const stream = unique('market_data');
    const group = 'alert-service';
    const setup = processorHarness(admin);
    await addRules(setup.store, symbols);
    await admin.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    const publisher = new StreamPublisher({ redis: admin, maxLen: 1_000_000, registry: new Registry() });
    const events = priceRamp(symbols, 200);
    for (let i = 0; i < events.length; i += 1000) await publisher.publishMany(stream, events.slice(i, i + 1000));

    const startReplica = (name: string) => {
      const command = connections.connect(redis.server, `${name}-cmd`);
      const blocking = connections.connect(redis.server, `${name}-block`);
      const harness = processorHarness(command, { store: setup.store });
      const runner = new ConsumerGroupRunner({
        redis: command,
        blockingRedis: blocking,
        stream,
        group,
        consumer: name,
        handler: harness.processor.handler,
        claimIdleMs: 1000,
        claimIntervalMs: 200,
        blockMs: 200,
        count: 50,
        registry: new Registry(),
      });
      return { command, blocking, runner };
    };
    const a = startReplica('replica-a');
    const b = startReplica('replica-b');
    await Promise.all([a.runner.start(), b.runner.start()]);
    const acked = async () => events.length - Number(((await admin.xpending(stream, group)) as [number])[0]) - (await undelivered());
    const undelivered = async () => {
      const [info] = (await admin.xinfo('GROUPS', stream)) as unknown[][];
      const lag = must(info)[must(info).indexOf('lag') + 1];
      return Number(lag ?? 0);
    };
    await waitFor(async () => (await acked()) >= 3000, { timeoutMs: 60_000 });

    // Replica A dies: its sockets close with entries in flight and unacknowledged.
    a.command.disconnect();
    a.blocking.disconnect();
    // Its loops only fail from here on; end them so no timer of the dead replica outlives the test.
    await a.runner.stop().catch(() => undefined);

    await waitFor(async () => (await undelivered()) === 0 && Number(((await admin.xpending(stream, group)) as [number])[0]) === 0, {
      timeoutMs: 90_000,
      message: 'every entry acknowledged by the surviving replica',
    });
    await b.runner.stop();

    await expectOneAlertPerSymbol(admin, setup.store, symbols);
    expect(await admin.xlen(`${stream}:dlq`)).toBe(0);
  }, 180_000);
});
