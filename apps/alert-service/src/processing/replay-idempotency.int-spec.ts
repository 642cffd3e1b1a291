import type { CloudEvent, RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { Connections, ManualClock, must } from '../store/test/store-test-kit';
import { priceEvent, processorHarness, type ProcessorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

describe('an event replayed (appended to its stream again, past every high-water mark: a replay from a dead-letter stream, a producer retrying)', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  /** Appends `event` (same CloudEvents id) to its stream again and has it evaluated; returns the alert changes it made. */
  async function replay(harness: ProcessorHarness, event: CloudEvent) {
    const outcome = await harness.processor.process({ ...event });
    expect(outcome.status).not.toBe('duplicate');
    return outcome.changes;
  }

  it('issue 11 suspected: changes nothing, whatever happened since (the raise, the clear, the tick that resolved, the end of the cooldown)', async () => {
    const clock = new ManualClock(T0);
    const harness = processorHarness(conn, { clock: clock.now, storeOptions: { clock: clock.now } });
    await harness.store.putRule({ id: 'btc-replay', name: 'BTC', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100, S2: 110 }, recovery: 95, keepFiringSeconds: 300, cooldownSeconds: 600 });
    const raise = priceEvent('BTC', 120, T0);
    const clear = priceEvent('BTC', 90, T0 + 10_000);
    await harness.processor.process(raise);
    expect(await replay(harness, raise)).toEqual([]);
    clock.nowMs = T0 + 10_000;
    await harness.processor.process(clear);
    expect(await replay(harness, clear)).toEqual([]);
    clock.nowMs = T0 + 310_000;
    expect((await harness.processor.tickOnce()).map((change) => change.type)).toEqual(['alert.resolved']);
    expect(await replay(harness, clear)).toEqual([]);
    expect(await replay(harness, raise)).toEqual([]);
    clock.nowMs = T0 + 910_000;
    expect(await harness.processor.tickOnce()).toEqual([]);
    expect(await replay(harness, clear)).toEqual([]);

    const alerts = (await harness.store.list()).items;
    expect(alerts.map((alert) => [alert.status, alert.version, alert.endsAt])).toEqual([['resolved', 2, T0 + 310_000]]);
    const state = harness.stateOf('btc-replay', must(alerts[0]).fingerprint);
    expect(must(state).state).toMatchObject({ phase: 'inactive', lastEventAtMs: T0 + 10_000, resolvedAtMs: T0 + 310_000 });
  });

  it('issue 11 suspected: keeps a pending condition\'s start, so a replay never delays or advances its raise', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule({ id: 'eth-replay', name: 'ETH', kind: 'price_threshold', symbol: 'ETH', direction: 'above', severities: { S1: 100 }, pendingSeconds: 60 });
    const first = priceEvent('ETH', 120, T0);
    await harness.processor.process(first);
    expect(await replay(harness, first)).toEqual([]);
    expect((await harness.processor.process(priceEvent('ETH', 121, T0 + 59_999))).changes).toEqual([]);
    expect((await harness.processor.process(priceEvent('ETH', 122, T0 + 60_000))).changes.map((change) => [change.type, change.at])).toEqual([['alert.raised', T0 + 60_000]]);
  });
});
