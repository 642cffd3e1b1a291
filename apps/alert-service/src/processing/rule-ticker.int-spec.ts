import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Connections, ManualClock, must } from '../store/test/store-test-kit';
import { priceEvent, processorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

describe('the ticker of the replica that holds a rule state (keep-firing expiries, cooldown ends, snooze ends)', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  const keepFiringRule = {
    id: 'btc-keep',
    name: 'BTC keep firing',
    kind: 'price_threshold',
    symbol: 'BTC',
    direction: 'above',
    severities: { S1: 100 },
    recovery: 95,
    keepFiringSeconds: 300,
    cooldownSeconds: 600,
  };

  it('resolves a cleared alert when its keep-firing period runs out, without any new event', async () => {
    const clock = new ManualClock(T0);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule(keepFiringRule);
    await harness.processor.process(priceEvent('BTC', 120, T0));
    await harness.processor.process(priceEvent('BTC', 90, T0 + 10_000));
    const [alert] = (await harness.store.list()).items;
    expect(must(alert).status).toBe('firing');

    expect(await harness.processor.tickOnce(T0 + 10_000 + 299_999)).toEqual([]);
    const changes = await harness.processor.tickOnce(T0 + 10_000 + 300_000);

    expect(changes.map((change) => [change.type, change.alert.id, change.actor])).toEqual([['alert.resolved', must(alert).id, 'rule:btc-keep']]);
    expect(must(await harness.store.get(must(alert).id)).endsAt).toBe(T0 + 310_000);
    // In cooldown now: due again when it ends, then inactive with nothing left to do.
    expect(harness.dueAt('btc-keep', must(alert).fingerprint)).toBe(T0 + 310_000 + 600_000);
    expect(await harness.processor.tickOnce(T0 + 910_000)).toEqual([]);
    expect(harness.dueAt('btc-keep', must(alert).fingerprint)).toBeUndefined();
    expect(must(harness.stateOf('btc-keep', must(alert).fingerprint)).state.phase).toBe('inactive');
  });

  it('does not resolve when the value comes back before the keep-firing period ends', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule(keepFiringRule);
    await harness.processor.process(priceEvent('BTC', 120, T0));
    await harness.processor.process(priceEvent('BTC', 90, T0 + 10_000));
    await harness.processor.process(priceEvent('BTC', 97, T0 + 20_000));
    expect(await harness.processor.tickOnce(T0 + 3_600_000)).toEqual([]);
    expect(must((await harness.store.list()).items[0]).status).toBe('firing');
  });

  it('issue 11 item 16: a tick never drops the due time that evaluations set after the one it was scheduled for', async () => {
    // The ticker and the evaluations of a state run in one loop of the one replica holding it:
    // a tick decides on the state as the last evaluation left it, never on an older read.
    const clock = new ManualClock(T0);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule(keepFiringRule);
    const at = async (price: number, atMs: number) => {
      clock.nowMs = atMs;
      await harness.processor.process(priceEvent('BTC', price, atMs));
    };
    await at(120, T0);
    await at(90, T0 + 10_000);
    // The first clear's expiry (T0 + 310 s) was scheduled; the value comes back, then clears again.
    await at(97, T0 + 20_000);
    await at(90, T0 + 30_000);

    clock.nowMs = T0 + 310_000;
    expect(await harness.processor.tickOnce(T0 + 310_000)).toEqual([]);

    const [alert] = (await harness.store.list()).items;
    expect(must(harness.stateOf('btc-keep', must(alert).fingerprint)).state).toMatchObject({ phase: 'firing', clearedAtMs: T0 + 30_000 });
    expect(harness.dueAt('btc-keep', must(alert).fingerprint)).toBe(T0 + 330_000);
    // And it resolves then, by itself.
    clock.nowMs = T0 + 330_000;
    expect((await harness.processor.tickOnce(T0 + 330_000)).map((change) => change.type)).toEqual(['alert.resolved']);
  });

  it('issue 11 item 17: during a backlog replay the ticker never resolves by the wall clock an alert that a later event of the backlog keeps firing', async () => {
    // Events 20 minutes old, replayed now.
    const clock = new ManualClock(T0 + 20 * 60_000);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule({ ...keepFiringRule, id: 'sol-keep', symbol: 'SOL', cooldownSeconds: 0 });
    await harness.processor.process(priceEvent('SOL', 120, T0));
    await harness.processor.process(priceEvent('SOL', 90, T0 + 10_000));
    expect(await harness.processor.tickOnce()).toEqual([]);
    await harness.processor.process(priceEvent('SOL', 120, T0 + 20_000));

    const alerts = (await harness.store.list()).items;
    expect(alerts.map((alert) => [alert.status, alert.startsAt])).toEqual([['firing', T0]]);
  });

  it('issue 11 item 17: during a backlog replay the ticker never ends a cooldown by the wall clock, so an event inside the cooldown raises nothing', async () => {
    const clock = new ManualClock(T0 + 20 * 60_000);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule({ ...keepFiringRule, id: 'eth-cool', symbol: 'ETH' });
    await harness.processor.process(priceEvent('ETH', 120, T0));
    await harness.processor.process(priceEvent('ETH', 90, T0 + 10_000));
    // Clear for 390 s: resolved at T0 + 310 s (keep-firing 300 s), in cooldown until T0 + 910 s.
    await harness.processor.process(priceEvent('ETH', 90, T0 + 400_000));
    expect(await harness.processor.tickOnce()).toEqual([]);
    await harness.processor.process(priceEvent('ETH', 120, T0 + 500_000));

    const alerts = (await harness.store.list()).items;
    expect(alerts.map((alert) => [alert.status, alert.startsAt, alert.endsAt])).toEqual([['resolved', T0, T0 + 310_000]]);
  });

  it('issue 11 item 17: a backlog event past a keep-firing due time resolves the alert at that time and raises the next one, in one commit', async () => {
    const clock = new ManualClock(T0 + 20 * 60_000);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule({ ...keepFiringRule, id: 'ada-keep', symbol: 'ADA', cooldownSeconds: 0 });
    await harness.processor.process(priceEvent('ADA', 120, T0));
    await harness.processor.process(priceEvent('ADA', 90, T0 + 10_000));
    const outcome = await harness.processor.process(priceEvent('ADA', 130, T0 + 400_000));

    expect(outcome.changes.map((change) => [change.type, change.at - T0])).toEqual([
      ['alert.resolved', 310_000],
      ['alert.raised', 400_000],
    ]);
    const alerts = (await harness.store.list()).items;
    expect(alerts.map((alert) => [alert.status, alert.startsAt - T0, alert.endsAt === undefined ? undefined : alert.endsAt - T0])).toEqual([
      ['firing', 400_000, undefined],
      ['resolved', 0, 310_000],
    ]);
  });

  it('issue 11 review: a replica that does not hold a rule\'s states (its rules cache may not know the rule yet) leaves their timers alone; the holder resolves on time', async () => {
    const clock = new ManualClock(T0);
    const holder = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    // Another replica, started before the rule existed: it holds no partition while the first holds all.
    const other = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now }, store: holder.store, shareStreams: holder.streams });
    await holder.processor.syncOnce();
    await other.processor.syncOnce();
    await holder.store.putRule({ ...keepFiringRule, id: 'xrp-keep', symbol: 'XRP' });
    await holder.processor.process(priceEvent('XRP', 120, T0));
    await holder.processor.process(priceEvent('XRP', 90, T0 + 10_000));

    clock.nowMs = T0 + 310_000;
    expect(other.processor.replica.owned).toEqual([]);
    expect(await other.processor.tickOnce(T0 + 310_000)).toEqual([]);

    const [alert] = (await holder.store.list()).items;
    expect(holder.dueAt('xrp-keep', must(alert).fingerprint)).toBe(T0 + 310_000);
    expect((await holder.processor.tickOnce(T0 + 310_000)).map((change) => change.type)).toEqual(['alert.resolved']);
  });

  it('runs in the replica\'s loop, resolves on its own and lifts expired snoozes, and stops with the replica', async () => {
    const clock = new ManualClock(T0);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now }, processorOptions: { tickIntervalMs: 10 } });
    await harness.store.putRule({ ...keepFiringRule, symbol: 'ETH', id: 'eth-keep' });
    await harness.processor.process(priceEvent('ETH', 120, T0));
    await harness.processor.process(priceEvent('ETH', 90, T0 + 1000));
    const [alert] = (await harness.store.list()).items;
    const other = (await harness.processor.process(priceEvent('BTC', 1, T0))).changes;
    expect(other).toEqual([]);
    await harness.store.snooze(must(alert).id, 5, 'user:a');

    const stop = await harness.startLive(() => connections.connect(redis.server, 'ticker-reader'));
    try {
      clock.advance(5 * 60_000);
      await waitFor(async () => must(await harness.store.get(must(alert).id)).status === 'firing', { timeoutMs: 5000 });
      clock.advance(10_000);
      await waitFor(async () => must(await harness.store.get(must(alert).id)).status === 'resolved', { timeoutMs: 5000 });
    } finally {
      await stop();
    }
    expect(harness.notified.map((change) => change.type)).toEqual(['alert.raised', 'alert.updated', 'alert.resolved']);
  });
});
