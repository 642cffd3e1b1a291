import { useRedis } from '@rebal/redis-testing';
import { encodeEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { AlertStore } from '../store';
import { Connections, must } from '../store/test/store-test-kit';
import { DeadLetterWriter } from './dead-letter-writer';
import { priceEvent, processorHarness } from './test/processor-test-kit';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const YEAR_2999 = Date.parse('2999-01-01T00:00:00Z');

async function addRule(store: AlertStore, id: string, symbol: string): Promise<void> {
  await store.putRule({ id, name: id, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: 100 } });
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((value) => Object.entries(labels).every(([key, expected]) => value.labels[key] === expected))?.value ?? 0;
}

function fieldsToObject(fields: readonly string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) object[fields[i] as string] = fields[i + 1] as string;
  return object;
}

describe('events dated ahead of the clock', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('refuses an event of the year 2999 without touching its rule, so the next events of that rule raise an alert as usual', async () => {
    const harness = processorHarness(conn, { clock: () => NOW });
    await addRule(harness.store, 'future-poisoned', 'FUT');

    const refused = await harness.processor.process(priceEvent('FUT', 50, YEAR_2999));
    expect(refused).toEqual({ status: 'refused', changes: [], reason: expect.stringMatching(/^event time 2999-01-01T00:00:00\.000Z is \d+ ms ahead of the clock, more than the 300000 ms allowed/) });
    const raised = await harness.processor.process(priceEvent('FUT', 150, NOW));
    expect(raised.changes.map((change) => [change.type, change.alert.severity, change.alert.value])).toEqual([['alert.raised', 'S1', 150]]);
    const state = harness.stateOf('future-poisoned', must(raised.changes[0]).alert.fingerprint);
    expect(must(state).state.lastEventAtMs).toBe(NOW);
    expect(await metricValue(harness.registry, 'rebal_alert_events_processed_total', { type: 'price_update', outcome: 'refused' })).toBe(1);
  });

  it('evaluates an event dated exactly the tolerance ahead, and refuses one a millisecond further', async () => {
    const harness = processorHarness(conn, { clock: () => NOW, processorOptions: { maxClockSkewMs: 60_000 } });
    await addRule(harness.store, 'at-the-edge', 'EDGE');

    expect((await harness.processor.process(priceEvent('EDGE', 150, NOW + 60_000))).status).toBe('committed');
    expect(await harness.processor.process(priceEvent('EDGE', 90, NOW + 60_001))).toMatchObject({ status: 'refused', reason: expect.stringContaining('more than the 60000 ms allowed') });
    expect((await harness.store.list()).items.map((alert) => [alert.status, alert.value])).toEqual([['firing', 150]]);
  });

  it('dead-letters such an event at once from its stream (reason invalid, the skew as error), and raises on the next one; nothing is pending in the group', async () => {
    const group = 'alert-service';
    const registry = new Registry();
    const command = connections.connect(redis.server, 'future-cmd');
    const deadLetters = new DeadLetterWriter({ redis: command, group, registry });
    const harness = processorHarness(command, { processorOptions: { deadLetters } });
    const stream = harness.streams.market_data;
    await addRule(harness.store, 'future-consumed', 'FUTC');
    await harness.processor.syncOnce();
    const future = priceEvent('FUTC', 50, YEAR_2999);
    const futureId = (await command.xadd(stream, '*', ...encodeEvent(future))) as string;
    await command.xadd(stream, '*', ...encodeEvent(priceEvent('FUTC', 150, Date.now())));

    const outcomes = await harness.processor.replica.pollOnce();
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['refused', 'committed']);
    expect(Number(((await command.xpending(stream, group)) as [number])[0])).toBe(0);
    const letters = await command.xrange(`${stream}:dlq`, '-', '+');
    expect(letters).toHaveLength(1);
    const letter = fieldsToObject(must(letters[0])[1]);
    expect(letter).toMatchObject({
      id: future.id,
      type: 'price_update',
      time: '2999-01-01T00:00:00.000Z',
      data: JSON.stringify(future.data),
      dlq_reason: 'invalid',
      dlq_error: expect.stringMatching(/^event time 2999-01-01T00:00:00\.000Z is \d+ ms ahead of the clock, more than the 300000 ms allowed \(ALERT_MAX_CLOCK_SKEW\)/),
      dlq_stream: stream,
      dlq_id: futureId,
      dlq_group: group,
      dlq_deliveries: '1',
    });
    expect(Date.parse(must(letter['dlq_time']))).not.toBeNaN();
    expect(await metricValue(registry, 'rebal_consumer_events_dead_lettered_total', { stream, group, reason: 'invalid' })).toBe(1);
    expect((await harness.store.list()).items.map((alert) => [alert.status, alert.value])).toEqual([['firing', 150]]);
  }, 30_000);

  it('without a dead-letter writer, refuses the event, moves on past it and copies nothing', async () => {
    const harness = processorHarness(conn);
    const stream = harness.streams.market_data;
    await addRule(harness.store, 'future-no-dlq', 'FUTN');
    await expect(harness.processor.process(priceEvent('FUTN', 150, YEAR_2999))).resolves.toMatchObject({ status: 'refused' });
    expect(await conn.exists(`${stream}:dlq`)).toBe(0);
    expect((await harness.store.list()).items).toEqual([]);
  });
});
