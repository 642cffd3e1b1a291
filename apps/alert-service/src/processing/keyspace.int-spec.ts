import { useRedis } from '@rebal/redis-testing';
import { createEvent, encodeEvent } from '@rebal/redis-client';
import { Connections } from '../store/test/store-test-kit';
import { processorHarness } from './test/processor-test-kit';

const SYMBOLS = 50;
const CHUNK = 5_000;
const T0 = Date.now() - 3_600_000;

describe('the keyspace under a stream of events', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);

  it('does not grow with the number of events: no key per event, only per partition, rule, alert and replica', async () => {
    const conn = connections.connect(redis.server);
    const harness = processorHarness(conn);
    for (let n = 0; n < SYMBOLS; n += 1) {
      await harness.store.putRule({ id: `k${n}-level`, name: `K${n} level`, kind: 'price_threshold', symbol: `K${n}`, direction: 'above', severities: { S1: 500 } });
      await harness.store.putRule({ id: `k${n}-move`, name: `K${n} move`, kind: 'price_change', symbol: `K${n}`, direction: 'either', windowSeconds: 60, severities: { S1: 50 } });
    }
    await harness.processor.syncOnce();
    const counts: number[] = [];
    for (let chunk = 0; chunk < 4; chunk += 1) {
      const pipeline = conn.pipeline();
      for (let i = chunk * CHUNK; i < (chunk + 1) * CHUNK; i += 1) {
        const symbol = `K${i % SYMBOLS}`;
        const event = createEvent({ type: 'price_update', source: '/test', subject: symbol, time: new Date(T0 + Math.floor(i / SYMBOLS) * 1000).toISOString(), data: { symbol, price: 100 + (i % 7), currency: 'USD' } });
        pipeline.xadd(harness.streams.market_data, 'MAXLEN', '~', '6000', '*', ...encodeEvent(event));
      }
      await pipeline.exec();
      const outcomes = await harness.processor.replica.pollOnce();
      expect(outcomes).toHaveLength(CHUNK);
      await harness.processor.syncOnce();
      counts.push(await conn.dbsize());
    }
    // The first chunk creates the partitions' keys (checkpoints, price streams); the next ones add none.
    expect(counts.slice(1)).toEqual([counts[0], counts[0], counts[0]]);
    expect(await conn.keys(`${harness.store.keys.tag}:processed:*`)).toEqual([]);
  }, 60_000);
});
