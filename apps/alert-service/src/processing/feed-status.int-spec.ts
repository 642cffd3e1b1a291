import type { RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { alertFingerprint } from '../rules';
import { Connections, must } from '../store/test/store-test-kit';
import { feedEvent, priceEvent, processorHarness, type ProcessorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

const btcRule = { id: 'btc-above', name: 'BTC above', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100 } };
const ethMove = { id: 'eth-move', name: 'ETH move', kind: 'price_change', symbol: 'ETH', windowSeconds: 300, direction: 'either', severities: { S2: 5 } };

async function statusOf(harness: ProcessorHarness, id: string) {
  const rules = await harness.store.listRules();
  return (await harness.store.ruleStatuses(rules)).get(id);
}

describe('feed freshness reaches the rules (issue 15): feed_status on risk_events', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('a stale symbol feed raises one S1 feed_stale alert and puts its price rules in no_data; fresh again resolves it and ends no_data', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcRule);
    await harness.store.putRule(ethMove);
    await harness.processor.process(priceEvent('BTC', 90, s(0)));
    expect((await statusOf(harness, 'btc-above'))?.subjects).toEqual([{ subject: { symbol: 'BTC' }, state: 'inactive', phase: 'inactive' }]);

    const stale = await harness.processor.process(feedEvent('market_data', 'BTC', 'stale', s(10), 5_000, s(2)));
    expect(stale.status).toBe('committed');
    expect(stale.changes.map((change) => [change.type, change.actor, change.notify])).toEqual([['alert.raised', 'rule:feed_stale', true]]);
    const labels = { alertname: 'feed_stale', stream: 'market_data', subject: 'BTC' };
    const alert = must(stale.changes[0]).alert;
    expect(alert).toMatchObject({ ruleId: 'feed_stale', type: 'feed_status', severity: 'S1', status: 'firing', labels, fingerprint: alertFingerprint(labels), value: 8, startsAt: s(10) });
    expect(alert.annotations['summary']).toBe('Feed market_data:BTC is stale: no event since 2025-03-01T12:00:02.000Z (expected every 5 s)');
    expect(alert.evidence).toEqual([{ type: 'raise', stream: harness.streams.risk_events, id: expect.any(String), value: 8, at: s(10), severity: 'S1' }]);

    // The price rule of the symbol is in no_data since the announcement; the other symbol's is not.
    expect(await statusOf(harness, 'btc-above')).toEqual({ state: 'active', subjects: [{ subject: { symbol: 'BTC' }, state: 'no_data', phase: 'inactive', since: s(10), feed: 'market_data:BTC' }] });
    expect((await statusOf(harness, 'eth-move'))?.subjects).toEqual([{ subject: { symbol: 'ETH' }, state: 'inactive', phase: 'inactive' }]);
    expect(JSON.parse(must(await conn.hget(harness.store.keys.feeds, 'market_data:BTC')))).toMatchObject({ status: 'stale', since: s(10), expectedIntervalMs: 5_000 });

    // Announced again (a restarted monitor): nothing new.
    expect((await harness.processor.process(feedEvent('market_data', 'BTC', 'stale', s(20), 5_000, s(2)))).changes).toEqual([]);

    const fresh = await harness.processor.process(feedEvent('market_data', 'BTC', 'fresh', s(30), 5_000, s(29)));
    expect(fresh.changes.map((change) => [change.type, change.alert.id, change.alert.value])).toEqual([['alert.resolved', alert.id, 19]]);
    expect(must(fresh.changes[0]).alert.evidence?.map((entry) => entry.type)).toEqual(['raise', 'clear']);
    expect((await statusOf(harness, 'btc-above'))?.subjects).toEqual([{ subject: { symbol: 'BTC' }, state: 'inactive', phase: 'inactive' }]);
    expect((await harness.store.list({ type: 'feed_status' })).items.map((a) => [a.id, a.status])).toEqual([[alert.id, 'resolved']]);
  });

  it('a firing rule whose feed goes stale stays firing and shows no_data; whole-stream and other feeds raise their alert too', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(btcRule);
    await harness.processor.process(priceEvent('BTC', 120, s(0)));
    await harness.processor.process(feedEvent('market_data', 'BTC', 'stale', s(10), 5_000, s(0)));
    expect((await statusOf(harness, 'btc-above'))?.subjects).toEqual([{ subject: { symbol: 'BTC' }, state: 'no_data', phase: 'firing', since: s(10), feed: 'market_data:BTC' }]);
    const whole = await harness.processor.process(feedEvent('risk_events', undefined, 'stale', s(11)));
    expect(whole.changes.map((change) => change.alert.labels)).toEqual([{ alertname: 'feed_stale', stream: 'risk_events' }]);
    const portfolio = await harness.processor.process(feedEvent('portfolio_updates', 'p-1', 'stale', s(12)));
    expect(portfolio.changes.map((change) => change.alert.labels)).toEqual([{ alertname: 'feed_stale', stream: 'portfolio_updates', subject: 'p-1' }]);
    expect((await harness.store.list({ type: 'feed_status', status: 'firing' })).items).toHaveLength(3);
  });

  it('a silence on alertname=feed_stale keeps the alert from being notified', async () => {
    const harness = processorHarness(conn);
    await harness.store.createSilence({ matchers: [{ name: 'alertname', value: 'feed_stale' }, { name: 'subject', value: 'SOL' }], endsAt: Date.now() + 3_600_000, createdBy: 'user:ops', comment: 'SOL delisting' });
    const stale = await harness.processor.process(feedEvent('market_data', 'SOL', 'stale', s(0)));
    expect(stale.changes.map((change) => [change.type, change.notify, change.suppressedBy, change.alert.silenced])).toEqual([['alert.raised', false, 'silence', true]]);
  });

  it('the replica that takes a partition over keeps the stale feed: neither a second alert nor a missed recovery', async () => {
    const first = processorHarness(conn);
    await first.store.putRule(btcRule);
    await first.processor.process(feedEvent('market_data', 'BTC', 'stale', s(0)));
    await first.processor.syncOnce();
    await first.processor.replica.stop();
    const second = processorHarness(conn, { store: first.store, shareStreams: first.streams });
    // The stale event again (a re-read from the high-water mark, or the monitor's repeat), then the recovery.
    expect((await second.processor.process(feedEvent('market_data', 'BTC', 'stale', s(20)))).changes).toEqual([]);
    const fresh = await second.processor.process(feedEvent('market_data', 'BTC', 'fresh', s(30), 5_000, s(29)));
    expect(fresh.changes.map((change) => change.type)).toEqual(['alert.resolved']);
  });

  it('routes a symbol feed to the symbol\'s partition and refuses one whose subject is not the payload\'s', async () => {
    const harness = processorHarness(conn);
    const mismatch = feedEvent('market_data', 'BTC', 'stale', s(0));
    const outcome = await harness.processor.process({ ...mismatch, subject: 'market_data:ETH' });
    expect(outcome.status).toBe('invalid');
    expect(outcome.reason).toContain('subject "ETH" is not what the payload names ("BTC")');
  });
});
