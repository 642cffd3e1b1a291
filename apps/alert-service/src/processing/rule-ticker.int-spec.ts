import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Connections, ManualClock, must } from '../store/test/store-test-kit';
import { priceEvent, processorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

describe('RuleTicker', () => {
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
    const [due] = await harness.store.dueRuleStates(T0 + 10_000_000);
    expect(must(due).dueAtMs).toBe(T0 + 310_000 + 600_000);
    expect(await harness.processor.tickOnce(T0 + 910_000)).toEqual([]);
    expect(await harness.store.dueRuleStates(T0 + 10_000_000)).toEqual([]);
    const [state] = await harness.store.readRuleStates([{ ruleId: 'btc-keep', fingerprint: must(alert).fingerprint }]);
    expect(must(state).state.phase).toBe('inactive');
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

  it('runs as a loop that resolves on its own and lifts expired snoozes, and stops on its signal', async () => {
    const clock = new ManualClock(T0);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule({ ...keepFiringRule, symbol: 'ETH', id: 'eth-keep' });
    await harness.processor.process(priceEvent('ETH', 120, T0));
    await harness.processor.process(priceEvent('ETH', 90, T0 + 1000));
    const [alert] = (await harness.store.list()).items;
    const other = (await harness.processor.process(priceEvent('BTC', 1, T0))).changes;
    expect(other).toEqual([]);
    await harness.store.snooze(must(alert).id, 5, 'user:a');

    const controller = new AbortController();
    const ticker = harness.processor.startTicker({ intervalMs: 10, signal: controller.signal });
    try {
      clock.advance(5 * 60_000);
      await waitFor(async () => must(await harness.store.get(must(alert).id)).status === 'firing', { timeoutMs: 5000 });
      clock.advance(10_000);
      await waitFor(async () => must(await harness.store.get(must(alert).id)).status === 'resolved', { timeoutMs: 5000 });
    } finally {
      controller.abort();
      await ticker.done;
    }
    expect(harness.notified.map((change) => change.type)).toEqual(['alert.raised', 'alert.updated', 'alert.resolved']);
    await ticker.stop();
  });
});
