import type { RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { Connections, must } from '../store/test/store-test-kit';
import { priceEvent, processorHarness, type ProcessorHarness } from './test/processor-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

/** The stream id the processor appended the latest `price_update` of `symbol` under. */
async function lastId(conn: RedisConnection, harness: ProcessorHarness): Promise<string> {
  const [entry] = (await conn.xrevrange(harness.streams.market_data, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  return must(entry)[0];
}

describe('alert evidence (issue 15): the stream ids and values of the events that moved an alert', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('records the raise, each severity change and the clear, and reads them back from the stream, then from the record once trimmed', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule({ id: 'btc', name: 'BTC', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100, S2: 110 }, recovery: 95, keepFiringSeconds: 60 });
    const ids: Record<string, string> = {};
    const step = async (name: string, symbol: string, price: number, at: number) => {
      await harness.processor.process(priceEvent(symbol, price, at));
      ids[name] = await lastId(conn, harness);
    };
    await step('quiet', 'BTC', 90, s(0));
    await step('raise', 'BTC', 101, s(10));
    await step('other', 'ETH', 5000, s(11));
    await step('same', 'BTC', 105, s(20)); // still S1: moves nothing
    await step('update', 'BTC', 112, s(30));
    await step('down', 'BTC', 104, s(40)); // back to S1 (above the recovery level)
    await step('clear', 'BTC', 94, s(50)); // past recovery: the keep-firing timer starts
    await step('waiting', 'BTC', 93, s(60));
    const [alert] = (await harness.store.list()).items;
    const id = must(alert).id;
    expect(must(alert).status).toBe('firing');
    // The resolve comes from the ticker, 60 s after the clear: the clearing event is its evidence.
    const resolved = await harness.processor.tickOnce(must(harness.dueAt('btc', must(alert).fingerprint)));
    expect(resolved.map((change) => change.type)).toEqual(['alert.resolved']);

    const record = must(await harness.store.get(id));
    const stream = harness.streams.market_data;
    expect(record.evidence).toEqual([
      { type: 'raise', stream, id: ids['raise'], value: 101, at: s(10), severity: 'S1' },
      { type: 'update', stream, id: ids['update'], value: 112, at: s(30), severity: 'S2' },
      { type: 'update', stream, id: ids['down'], value: 104, at: s(40), severity: 'S1' },
      { type: 'clear', stream, id: ids['clear'], value: 94, at: s(50) },
    ]);
    // Every change on the alerts stream carries the evidence so far.
    expect((await harness.store.history(id)).map((change) => change.alert.evidence?.length)).toEqual([1, 2, 3, 4]);

    const view = await harness.store.evidence(id);
    expect(view.items.map((item) => [item.type, item.id, item.source, item.event?.type, (item.event?.data as { price?: number } | undefined)?.price])).toEqual([
      ['raise', ids['raise'], 'stream', 'price_update', 101],
      ['update', ids['update'], 'stream', 'price_update', 112],
      ['update', ids['down'], 'stream', 'price_update', 104],
      ['clear', ids['clear'], 'stream', 'price_update', 94],
    ]);
    // The chart around the trigger: BTC's prices only, in order, the other symbol left out.
    expect(view.prices).toEqual({ symbol: 'BTC', points: [90, 101, 105, 112, 104, 94, 93].map((price) => ({ id: expect.any(String), at: expect.any(Number), price })) });
    expect(must(view.prices).points.map((point) => point.id)).toEqual([ids['quiet'], ids['raise'], ids['same'], ids['update'], ids['down'], ids['clear'], ids['waiting']]);

    // Once the stream no longer holds them, the stored values are what is left.
    await conn.xtrim(stream, 'MAXLEN', 0);
    const trimmed = await harness.store.evidence(id);
    expect(trimmed.items.map((item) => [item.type, item.id, item.source, item.value, item.event])).toEqual([
      ['raise', ids['raise'], 'record', 101, undefined],
      ['update', ids['update'], 'record', 112, undefined],
      ['update', ids['down'], 'record', 104, undefined],
      ['clear', ids['clear'], 'record', 94, undefined],
    ]);
    expect(trimmed.prices).toEqual({ symbol: 'BTC', points: [] });
  });

  it('forgets a clear the value came back from, and a clear that resolves at once is its own evidence', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule({ id: 'eth', name: 'ETH', kind: 'price_threshold', symbol: 'ETH', direction: 'above', severities: { S1: 100 }, recovery: 95, keepFiringSeconds: 60 });
    await harness.store.putRule({ id: 'sol', name: 'SOL', kind: 'price_threshold', symbol: 'SOL', direction: 'above', severities: { S1: 100 } });
    await harness.processor.process(priceEvent('ETH', 101, s(0)));
    await harness.processor.process(priceEvent('ETH', 90, s(10))); // clear...
    await harness.processor.process(priceEvent('ETH', 99, s(20))); // ...and back: that clear proves nothing
    await harness.processor.process(priceEvent('ETH', 91, s(30)));
    const clearId = await lastId(conn, harness);
    await harness.processor.process(priceEvent('ETH', 92, s(95))); // 65 s after the second clear: the expiry resolves first
    const eth = must((await harness.store.list({ label: 'rule=eth' })).items[0]);
    expect(eth.status).toBe('resolved');
    expect(must(eth.evidence).map((entry) => [entry.type, entry.value])).toEqual([['raise', 101], ['clear', 91]]);
    expect(must(eth.evidence)[1]?.id).toBe(clearId);

    await harness.processor.process(priceEvent('SOL', 120, s(0)));
    await harness.processor.process(priceEvent('SOL', 80, s(10)));
    const solClear = await lastId(conn, harness);
    const sol = must((await harness.store.list({ label: 'rule=sol' })).items[0]);
    expect(sol.status).toBe('resolved');
    expect(must(sol.evidence).map((entry) => [entry.type, entry.id === solClear])).toEqual([['raise', false], ['clear', true]]);
  });

  it('keeps the raise and the newest entries after it, 50 in all', async () => {
    const harness = processorHarness(conn);
    await harness.store.putRule({ id: 'flap', name: 'flap', kind: 'price_threshold', symbol: 'FLP', direction: 'above', severities: { S1: 100, S2: 110 } });
    await harness.processor.process(priceEvent('FLP', 101, s(0)));
    const raiseId = await lastId(conn, harness);
    for (let i = 1; i <= 60; i += 1) await harness.processor.process(priceEvent('FLP', i % 2 === 1 ? 111 : 101, s(i)));
    const alert = must((await harness.store.list({ label: 'rule=flap' })).items[0]);
    const evidence = must(alert.evidence);
    expect(evidence).toHaveLength(50);
    expect(evidence[0]).toMatchObject({ type: 'raise', id: raiseId });
    expect(evidence[49]).toMatchObject({ type: 'update', value: 101, at: s(60) });
    expect(evidence[1]).toMatchObject({ at: s(12) });
  });
});
