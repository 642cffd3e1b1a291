import type { RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { Connections, must } from '../store/test/store-test-kit';
import { priceEvent, processorHarness, snapshotEvent } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

const btcAbove = (extra: Record<string, unknown>) => ({ id: 'btc-above', name: 'BTC above 100', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100, S2: 110 }, ...extra });

describe('trading-grade triggers (issue 15): once, once_per, expiresAt', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('a once rule fires once and disables itself: enabled false with its reason and alert, a change-log entry, and nothing more from it', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcAbove({ trigger: 'once' }));
    const raised = await harness.processor.process(priceEvent('BTC', 101, s(0)));
    expect(raised.changes.map((change) => [change.type, change.alert.severity])).toEqual([['alert.raised', 'S1']]);
    const alertId = must(raised.changes[0]).alert.id;

    // Disabled in the same commit: the stored reason names the alert, the change log says why.
    expect(await harness.store.getRule('btc-above')).toMatchObject({ enabled: false, trigger: 'once' });
    expect(JSON.parse(must(await conn.hget(harness.store.keys.rulesDisabled, 'btc-above')))).toEqual({ reason: 'trigger_once', at: s(0), alertId });
    const [last] = (await conn.xrevrange(harness.store.keys.rulesChanges, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    expect(must(last)[1]).toEqual(['rule', 'btc-above', 'reason', 'trigger_once']);

    // Nothing more: no update to S2, no resolve, no second raise; the alert stays open (as a disabled rule's do).
    for (const [price, at] of [[115, 10], [90, 20], [105, 30]] as const) {
      expect((await harness.processor.process(priceEvent('BTC', price, s(at)))).changes).toEqual([]);
    }
    expect((await harness.store.list()).items.map((alert) => [alert.id, alert.status, alert.severity])).toEqual([[alertId, 'firing', 'S1']]);

    // Another replica reading the rules sees it disabled; a PUT of the rule re-arms it (the reason is cleared).
    expect((await harness.store.listRules()).find((rule) => rule.id === 'btc-above')?.enabled).toBe(false);
    await harness.store.putRule(btcAbove({ trigger: 'once' }));
    expect(await conn.hget(harness.store.keys.rulesDisabled, 'btc-above')).toBeNull();
    expect((await harness.store.getRule('btc-above'))?.enabled).toBe(true);
    expect((await harness.processor.process(priceEvent('BTC', 90, s(40)))).changes.map((change) => change.type)).toEqual(['alert.resolved']);
    const again = await harness.processor.process(priceEvent('BTC', 102, s(50)));
    expect(again.changes.map((change) => change.type)).toEqual(['alert.raised']);
    expect((await harness.store.getRule('btc-above'))?.enabled).toBe(false);
    expect((await harness.processor.process(priceEvent('BTC', 90, s(60)))).changes).toEqual([]);
  });

  it('a once rule that observes several subjects in one event fires for the first of them only', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule({ id: 'drift-once', name: 'drift once', kind: 'portfolio_drift', portfolioId: 'p1', band: 'absolute', severities: { S1: 5 }, trigger: 'once' });
    // BTC 60 % and ETH 40 % against 50/50: both symbols drift 10 points.
    const outcome = await harness.processor.process(snapshotEvent('p1', 0.6, s(0)));
    expect(outcome.changes.map((change) => [change.type, change.alert.labels['symbol']])).toEqual([['alert.raised', 'BTC']]);
    expect((await harness.processor.process(snapshotEvent('p1', 0.7, s(10)))).changes).toEqual([]);
  });

  it('a once_per rule fires at most once per period: breaches within an hour of its raise are quiet, the first after it fires', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcAbove({ trigger: { once_per: '1h' } }));
    const fired: number[] = [];
    // Crossing 100 up and down every 10 minutes for three hours: 9 crossings up.
    for (let minute = 0; minute <= 180; minute += 10) {
      const price = (minute / 10) % 2 === 0 ? 101 : 99;
      const outcome = await harness.processor.process(priceEvent('BTC', price, T0 + minute * 60_000));
      for (const change of outcome.changes) if (change.type === 'alert.raised') fired.push(minute);
    }
    expect(fired).toEqual([0, 60, 120, 180]);
    // A severity change of an open alert is not a fire.
    const update = await harness.processor.process(priceEvent('BTC', 111, T0 + 181 * 60_000));
    expect(update.changes.map((change) => change.type)).toEqual(['alert.updated']);
  });

  it('a once_per period ends by the ticker too: the state leaves its cooldown at raise + period', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcAbove({ trigger: { once_per: '10m' } }));
    const [raise] = (await harness.processor.process(priceEvent('BTC', 101, s(0)))).changes;
    await harness.processor.process(priceEvent('BTC', 99, s(60)));
    const fingerprint = must(raise).alert.fingerprint;
    expect(must(harness.stateOf('btc-above', fingerprint)).state).toMatchObject({ phase: 'cooldown', raisedAtMs: s(0) });
    // Due at raise + 10 min in event time (plus the state's frame offset on the wall clock), not at the resolve.
    const due = must(harness.dueAt('btc-above', fingerprint));
    expect(due).toBeGreaterThanOrEqual(s(600));
    await harness.processor.tickOnce(due - 1);
    expect(must(harness.stateOf('btc-above', fingerprint)).state.phase).toBe('cooldown');
    await harness.processor.tickOnce(due);
    expect(must(harness.stateOf('btc-above', fingerprint)).state.phase).toBe('inactive');
  });

  it('an expired rule never fires, and a rule stops evaluating at its expiresAt (event time); its open alert stays open', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcAbove({ id: 'expired', expiresAt: new Date(s(-1)).toISOString() }));
    await harness.store.putRule(btcAbove({ id: 'expiring', expiresAt: new Date(s(30)).toISOString() }));
    const first = await harness.processor.process(priceEvent('BTC', 101, s(0)));
    expect(first.changes.map((change) => [change.type, change.alert.ruleId])).toEqual([['alert.raised', 'expiring']]);
    // At and after its expiry nothing reaches it: no severity change, no resolve, no new raise.
    for (const [price, at] of [[115, 30], [90, 40], [105, 50]] as const) {
      expect((await harness.processor.process(priceEvent('BTC', price, s(at)))).changes).toEqual([]);
    }
    expect((await harness.store.list()).items.map((alert) => [alert.ruleId, alert.status, alert.severity])).toEqual([['expiring', 'firing', 'S1']]);
  });
});
