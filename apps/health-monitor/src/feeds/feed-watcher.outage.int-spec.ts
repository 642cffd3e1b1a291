import { createEvent, decodeEntry, StreamPublisher, type FeedStatusData, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { connect, startTestMonitor, uniquePrefix, type TestMonitor } from '../test/monitor-harness';
import { sampleValue } from '../test/prometheus-text';

jest.setTimeout(60_000);

// A server of its own: this test stops it.
const redis = useRedis();

describe('FeedWatcher through a Redis outage', () => {
  let admin: RedisConnection;
  let test: TestMonitor | undefined;
  let timer: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    clearInterval(timer);
    await test?.close();
    admin?.disconnect();
  });

  it('announces nothing for the silence of an outage it could not observe, and reads on afterwards', async () => {
    const prefix = uniquePrefix();
    const publisher = new StreamPublisher({ redis: admin, prefix, registry: new Registry() });
    timer = setInterval(() => {
      if (admin.status !== 'ready') return;
      void publisher.publish('market_data', createEvent({ type: 'price_update', source: '/test', subject: 'BTC', data: { symbol: 'BTC', price: 1, currency: 'USD' } })).catch(() => undefined);
    }, 50);
    test = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: prefix, HEALTH_FEED_EXPECTATIONS: 'market_data:*=1s' });
    const t = test;
    const btc = () => t.monitor.latest()?.feeds.find((f) => f.feed === 'market_data:BTC');
    await waitFor(() => btc()?.status === 'fresh', { message: 'BTC fresh' });
    const checks = async () => sampleValue(await t.metrics(), 'rebal_health_checks_total') ?? 0;

    await redis.server.stop();
    await waitFor(() => t.monitor.latest()?.status === 'down', { message: 'Redis seen down' });
    // Twice the stale threshold without a single price reaching Redis.
    const from = await checks();
    await waitFor(async () => (await checks()) >= from + 30, { timeoutMs: 20_000, message: '30 checks during the outage' });
    expect(btc()?.status).toBe('fresh');

    await redis.server.start();
    await waitFor(() => t.monitor.latest()?.status === 'healthy', { timeoutMs: 20_000, message: 'healthy again' });
    // The tail reads again: BTC's new prices arrive.
    await waitFor(() => (btc()?.ageSeconds ?? 99) < 0.5, { timeoutMs: 20_000, message: 'BTC read again' });
    const after = await checks();
    await waitFor(async () => (await checks()) >= after + 10, { message: '10 more checks' });
    const entries = (await admin.xrange(`${prefix}risk_events`, '-', '+')) as Array<[string, string[]]>;
    const feedEvents = entries.flatMap(([, fields]) => {
      const decoded = decodeEntry<FeedStatusData>(fields);
      return decoded.ok && decoded.event.type === 'feed_status' ? [decoded.event.data] : [];
    });
    expect(feedEvents).toEqual([]);
    expect(btc()?.status).toBe('fresh');
  });
});
