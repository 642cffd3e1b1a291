/// <reference types="jest" />
import { useRedis, type StartRedisOptions } from '@rebal/redis-testing';
import type { CloudEvent, RedisConnection } from '@rebal/redis-client';
import type { Severity } from '../../rules';
import { Connections, must, readStream, type AlertEventPayload } from '../../store/test/store-test-kit';
import { priceEvent, processorHarness, riskEvent, snapshotEvent, statusEvent, type ProcessorHarness } from './processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

/** One replayed step: the event, and the alert events it must produce (type and severity). */
interface Step {
  event: CloudEvent;
  expect: Array<[string, Severity]>;
}

interface KindScenario {
  title: string;
  rule: Record<string, unknown>;
  /** Events to replay before the steps (e.g. the price an hour earlier). */
  before?: CloudEvent[];
  steps: Step[];
}

const scenarios: KindScenario[] = [
  {
    title: 'price_threshold: pending for 60 s, climbs to S3, hovers above the recovery level, resolves below it',
    rule: { kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100, S2: 110, S3: 120 }, recovery: 95, pendingSeconds: 60 },
    steps: [
      { event: priceEvent('BTC', 101, s(0)), expect: [] },
      { event: priceEvent('BTC', 99, s(30)), expect: [] }, // condition gone while pending: no alert
      { event: priceEvent('BTC', 102, s(40)), expect: [] },
      { event: priceEvent('BTC', 104, s(99)), expect: [] }, // 59 s pending
      { event: priceEvent('BTC', 105, s(100)), expect: [['alert.raised', 'S1']] },
      { event: priceEvent('BTC', 111, s(110)), expect: [['alert.updated', 'S2']] },
      { event: priceEvent('BTC', 125, s(120)), expect: [['alert.updated', 'S3']] },
      { event: priceEvent('BTC', 96, s(130)), expect: [['alert.updated', 'S1']] }, // under S1, over recovery: still firing
      { event: priceEvent('BTC', 95, s(140)), expect: [] }, // exactly at recovery keeps firing
      { event: priceEvent('BTC', 94.9, s(150)), expect: [['alert.resolved', 'S1']] },
    ],
  },
  {
    title: 'price_change: a 6 % move in an hour held for 30 s raises S2, 11 % escalates to S3, resolves only under 4 %',
    rule: { kind: 'price_change', symbol: 'ETH', windowSeconds: 3600, direction: 'either', severities: { S2: 5, S3: 10 }, recovery: 4, pendingSeconds: 30 },
    before: [priceEvent('ETH', 1000, s(-3600))],
    steps: [
      { event: priceEvent('ETH', 1040, s(0)), expect: [] },
      { event: priceEvent('ETH', 940, s(10)), expect: [] }, // pending from here
      { event: priceEvent('ETH', 945, s(39)), expect: [] }, // 29 s pending
      { event: priceEvent('ETH', 940, s(40)), expect: [['alert.raised', 'S2']] },
      { event: priceEvent('ETH', 1110, s(50)), expect: [['alert.updated', 'S3']] },
      { event: priceEvent('ETH', 1045, s(60)), expect: [['alert.updated', 'S2']] }, // under S2, over recovery: still firing
      { event: priceEvent('ETH', 1040, s(70)), expect: [] }, // exactly at recovery keeps firing
      { event: priceEvent('ETH', 1039, s(80)), expect: [['alert.resolved', 'S2']] },
    ],
  },
  {
    title: 'portfolio_drift: BTC 8 points over target raises S2 for BTC and ETH, 12 points is S3, back within 1 point resolves',
    rule: { kind: 'portfolio_drift', band: 'absolute', portfolioId: 'p1', severities: { S1: 2, S2: 5, S3: 10 }, recovery: 1, pendingSeconds: 30 },
    steps: [
      { event: snapshotEvent('p1', 0.58, s(0)), expect: [] },
      { event: snapshotEvent('p1', 0.58, s(30)), expect: [['alert.raised', 'S2'], ['alert.raised', 'S2'], ['alert.escalated', 'S3']] },
      { event: snapshotEvent('p1', 0.62, s(60)), expect: [['alert.updated', 'S3'], ['alert.updated', 'S3']] },
      { event: snapshotEvent('p1', 0.515, s(90)), expect: [['alert.updated', 'S1'], ['alert.updated', 'S1']] },
      { event: snapshotEvent('p1', 0.505, s(120)), expect: [['alert.resolved', 'S1'], ['alert.resolved', 'S1'], ['alert.resolved', 'S3']] },
    ],
  },
  {
    title: 'risk_threshold: var_95 over 0.05 for 15 s is S2, over 0.1 is S3, resolves only under 0.04',
    rule: { kind: 'risk_threshold', metric: 'var_95', severities: { S2: 0.05, S3: 0.1 }, recovery: 0.04, pendingSeconds: 15 },
    steps: [
      { event: riskEvent('p1', 'var_95', 0.03, s(0)), expect: [] },
      { event: riskEvent('p1', 'volatility', 0.9, s(5)), expect: [] },
      { event: riskEvent('p1', 'var_95', 0.06, s(10)), expect: [] }, // pending from here
      { event: riskEvent('p1', 'var_95', 0.07, s(24)), expect: [] }, // 14 s pending
      { event: riskEvent('p1', 'var_95', 0.06, s(25)), expect: [['alert.raised', 'S2']] },
      { event: riskEvent('p1', 'var_95', 0.12, s(35)), expect: [['alert.updated', 'S3']] },
      { event: riskEvent('p1', 'var_95', 0.045, s(45)), expect: [['alert.updated', 'S2']] }, // under S2, over recovery: still firing
      { event: riskEvent('p1', 'var_95', 0.04, s(50)), expect: [] }, // exactly at recovery keeps firing
      { event: riskEvent('p1', 'var_95', 0.039, s(55)), expect: [['alert.resolved', 'S2']] },
    ],
  },
  {
    title: 'service_health: degraded for 20 s is S2, down is S3, degraded again keeps firing, healthy resolves',
    rule: { kind: 'service_health', service: 'pricing-job', severities: { S2: 1, S3: 2 }, pendingSeconds: 20 },
    steps: [
      { event: statusEvent('pricing-job', 'healthy', s(0)), expect: [] },
      { event: statusEvent('pricing-job', 'degraded', s(10)), expect: [] }, // pending from here
      { event: statusEvent('other', 'down', s(15)), expect: [] },
      { event: statusEvent('pricing-job', 'degraded', s(29)), expect: [] }, // 19 s pending
      { event: statusEvent('pricing-job', 'degraded', s(30)), expect: [['alert.raised', 'S2']] },
      { event: statusEvent('pricing-job', 'down', s(40)), expect: [['alert.updated', 'S3']] },
      { event: statusEvent('pricing-job', 'degraded', s(45)), expect: [['alert.updated', 'S2']] }, // at the recovery level (1): still firing
      { event: statusEvent('pricing-job', 'healthy', s(50)), expect: [['alert.resolved', 'S2']] },
    ],
  },
];

/**
 * Replayed event sequences through the processor into a real Redis, for one kind of
 * deployment: each rule kind, redelivery, escalation, irrelevant events.
 */
export function describeEventProcessorSuite(mode: string, serverOptions: StartRedisOptions): void {
  describe(`createEventProcessor (${mode})`, () => {
    const connections = new Connections();
    afterAll(() => connections.closeAll());
    const redis = useRedis(serverOptions, 120_000);
    let conn: RedisConnection;
    beforeEach(() => {
      conn ??= connections.connect(redis.server);
    });

    async function addRule(harness: ProcessorHarness, rule: Record<string, unknown>, id = 'rule-under-test'): Promise<void> {
      await harness.store.putRule({ id, name: id, ...rule });
      harness.rules.invalidate();
    }

    describe.each(scenarios)('replays $title', (scenario) => {
      it('stores the alerts and puts exactly the expected events on the alerts stream', async () => {
        const harness = processorHarness(conn);
        await addRule(harness, scenario.rule);
        for (const event of scenario.before ?? []) await harness.processor.process(event);
        const expected: Array<[string, Severity]> = [];
        for (const [index, step] of scenario.steps.entries()) {
          const outcome = await harness.processor.process(step.event);
          const got = outcome.changes.map((change) => [change.type, change.alert.severity]);
          expect({ step: index, changes: got }).toEqual({ step: index, changes: step.expect });
          expected.push(...step.expect);
        }
        const stream = await readStream(conn, harness.store.keys.stream);
        expect(stream.map(({ event }) => [event.type, (event.data as AlertEventPayload).alert.severity])).toEqual(expected);
        const stored = (await harness.store.list({ limit: 500 })).items;
        expect(stored.every((alert) => alert.status === 'resolved')).toBe(true);
        for (const alert of stored) {
          const history = await harness.store.history(alert.id);
          const onStream = stream.filter(({ event }) => event.subject === alert.id);
          expect(onStream.map(({ streamId, event }) => ({ streamId, alert: (event.data as AlertEventPayload).alert }))).toEqual(
            history.map((change) => ({ streamId: change.streamId, alert: change.alert })),
          );
          expect(history.map((change) => change.alert.version)).toEqual(history.map((_, i) => i + 1));
        }
        expect(harness.notified.map((change) => change.streamId)).toEqual(stream.map(({ streamId }) => streamId));
      });
    });

    it('commits a redelivered event once: the second delivery is a duplicate with no effect', async () => {
      const harness = processorHarness(conn);
      await addRule(harness, { kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100 } });
      const event = priceEvent('BTC', 150, s(0));

      expect((await harness.processor.process(event)).status).toBe('committed');
      // The same stream entry delivered again (the test kit hands the same entry over).
      expect(await harness.processor.process(event)).toEqual({ status: 'duplicate', changes: [] });
      expect(await harness.processor.process(event)).toEqual({ status: 'duplicate', changes: [] });

      expect(await conn.xlen(harness.store.keys.stream)).toBe(1);
      const [alert] = (await harness.store.list()).items;
      expect(alert).toMatchObject({ status: 'firing', version: 1 });
      const state = harness.stateOf('rule-under-test', must(alert).fingerprint);
      expect(must(state).version).toBe(1);
      const metric = await must(harness.registry.getSingleMetric('rebal_alert_events_processed_total')).get();
      expect(metric.values.find((value) => value.labels['outcome'] === 'duplicate')?.value).toBe(2);
    });

    it('stores the suggested action of the current severity on the alert and its events: Slow at S2, Freeze at S3, none at S1', async () => {
      const harness = processorHarness(conn);
      await addRule(harness, {
        kind: 'portfolio_drift',
        band: 'absolute',
        portfolioId: 'p1',
        severities: { S1: 2, S2: 5, S3: 10 },
        recovery: 1,
        actions: { S2: { type: 'apply_policy', mode: 'Slow' }, S3: { type: 'apply_policy', mode: 'Freeze' } },
      });
      const suggested: Array<Array<[string, string | null]>> = [];
      for (const [seconds, btcWeight] of [[0, 0.58], [10, 0.62], [20, 0.53]] as const) {
        const outcome = await harness.processor.process(snapshotEvent('p1', btcWeight, s(seconds)));
        const mine = outcome.changes.filter((change) => change.alert.ruleId === 'rule-under-test');
        suggested.push(mine.map((change) => [change.alert.severity, change.alert.suggestedAction?.mode ?? null]));
      }
      expect(suggested).toEqual([
        [['S2', 'Slow'], ['S2', 'Slow']],
        [['S3', 'Freeze'], ['S3', 'Freeze']],
        [['S1', null], ['S1', null]],
      ]);
      const stream = await readStream(conn, harness.store.keys.stream);
      const onStream = stream
        .map(({ event }) => (event.data as AlertEventPayload).alert)
        .filter((alert) => alert.ruleId === 'rule-under-test' && alert.labels['symbol'] === 'BTC')
        .map((alert) => alert.suggestedAction ?? null);
      expect(onStream).toEqual([{ type: 'apply_policy', mode: 'Slow' }, { type: 'apply_policy', mode: 'Freeze' }, null]);
      const [btc] = (await harness.store.list({ label: 'symbol=BTC' })).items.filter((alert) => alert.ruleId === 'rule-under-test');
      expect(must(btc).suggestedAction).toBeUndefined();
    });

    it('escalates when S2 alerts of two rules of one kind fire within 30 minutes', async () => {
      const harness = processorHarness(conn);
      const rule = { kind: 'price_threshold', direction: 'above', severities: { S1: 10, S2: 20 } };
      await addRule(harness, { ...rule, symbol: 'BTC' }, 'btc');
      await addRule(harness, { ...rule, symbol: 'ETH' }, 'eth');

      await harness.processor.process(priceEvent('BTC', 25, s(0)));
      const second = await harness.processor.process(priceEvent('ETH', 25, s(29 * 60)));

      expect(second.changes.map((change) => change.type)).toEqual(['alert.raised', 'alert.escalated']);
      expect(must(second.changes[1]).alert).toMatchObject({ severity: 'S3', labels: { rule: 'escalation', kind: 'price_threshold' } });
    });

    it('ignores events that no rule watches and event types it does not evaluate, and keeps no price history it does not need', async () => {
      const harness = processorHarness(conn);
      await addRule(harness, { kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100 }, pendingSeconds: 60 });
      expect((await harness.processor.process(priceEvent('DOGE', 1, s(0)))).status).toBe('skipped');
      // A price its rule watches that changes nothing writes nothing (issue 12: Redis is written when a rule changes phase)...
      expect((await harness.processor.process(priceEvent('BTC', 1, s(0)))).status).toBe('skipped');
      // ...and one that does (pending from here) is committed.
      expect((await harness.processor.process(priceEvent('BTC', 150, s(1)))).status).toBe('committed');
      // No price_change rule watches these symbols: no price history is kept for them, in memory or in Redis.
      await harness.processor.syncOnce();
      expect(harness.pricePoints('DOGE') + harness.pricePoints('BTC')).toBe(0);
      expect(await conn.exists(...Array.from({ length: 16 }, (_, p) => harness.store.keys.partitionPrices(p)))).toBe(0);
      const rebalance = { ...priceEvent('BTC', 1, s(0)), type: 'rebalance_executed', data: { portfolioId: 'BTC', rebalanceId: 'r1', status: 'completed', trades: [] } };
      expect((await harness.processor.process(rebalance)).status).toBe('skipped');
      expect(await conn.xlen(harness.store.keys.stream)).toBe(0);
    });
  });
}
