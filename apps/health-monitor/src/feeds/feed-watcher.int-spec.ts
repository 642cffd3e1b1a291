import { createEvent, decodeEntry, StreamPublisher, type FeedStatusData, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { connect, startTestMonitor, uniquePrefix, type TestMonitor } from '../test/monitor-harness';
import { findSamples, sampleValue } from '../test/prometheus-text';

jest.setTimeout(30_000);

const redis = useRedis();

describe('FeedWatcher in a health monitor, on real Redis', () => {
  let admin: RedisConnection;
  const monitors: TestMonitor[] = [];
  const stoppers: Array<() => void> = [];

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    stoppers.forEach((stop) => stop());
    await Promise.all(monitors.map((m) => m.close()));
    admin?.disconnect();
  });

  async function start(prefix: string, env: Record<string, string>, options: Parameters<typeof startTestMonitor>[2] = {}): Promise<TestMonitor> {
    const test = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: prefix, ...env }, options);
    monitors.push(test);
    return test;
  }

  /** `<subject> <status>` of every feed_status event on `<prefix>risk_events`, oldest first. */
  async function announced(prefix: string): Promise<string[]> {
    const entries = (await admin.xrange(`${prefix}risk_events`, '-', '+')) as Array<[string, string[]]>;
    return entries.flatMap(([, fields]) => {
      const decoded = decodeEntry<FeedStatusData>(fields);
      return decoded.ok && decoded.event.type === 'feed_status' ? [`${decoded.event.subject} ${decoded.event.data.status}`] : [];
    });
  }

  /** Publishes a price of `symbol` on `<prefix>market_data`. */
  function price(prefix: string, symbol: string): Promise<string> {
    return new StreamPublisher({ redis: admin, prefix, registry: new Registry() }).publish('market_data', createEvent({ type: 'price_update', source: '/test', subject: symbol, data: { symbol, price: 1, currency: 'USD' } }));
  }

  /** Publishes a price of `symbol` every `everyMs` until the test ends. */
  function ticking(prefix: string, symbol: string, everyMs: number): void {
    const timer = setInterval(() => void price(prefix, symbol).catch(() => undefined), everyMs);
    stoppers.push(() => clearInterval(timer));
  }

  const checksDone = async (test: TestMonitor) => sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
  async function moreChecks(test: TestMonitor, n: number): Promise<void> {
    const from = await checksDone(test);
    await waitFor(async () => (await checksDone(test)) >= from + n, { timeoutMs: 15_000, message: `${n} more checks` });
  }

  it('a named subject never seen goes stale once; a restarted monitor does not announce it again, and announces its recovery once', async () => {
    const prefix = uniquePrefix();
    const env = { HEALTH_FEED_EXPECTATIONS: 'market_data:BTC=300ms' };
    const first = await start(prefix, env);
    await waitFor(async () => (await announced(prefix)).length > 0, { message: 'BTC announced stale' });
    expect(await announced(prefix)).toEqual(['market_data:BTC stale']);
    await first.close();

    const second = await start(prefix, env);
    await waitFor(() => second.monitor.latest()?.feeds[0]?.status === 'stale', { message: 'the restarted monitor knows BTC is stale' });
    await moreChecks(second, 10);
    expect(await announced(prefix)).toEqual(['market_data:BTC stale']);

    ticking(prefix, 'BTC', 50);
    await waitFor(async () => (await announced(prefix)).length === 2, { message: 'BTC announced fresh' });
    await moreChecks(second, 5);
    expect(await announced(prefix)).toEqual(['market_data:BTC stale', 'market_data:BTC fresh']);
    expect(await admin.hlen(`${prefix}health-monitor:stale-feeds`)).toBe(0);
  });

  it('two replicas: only the lease holder announces, once per transition', async () => {
    const prefix = uniquePrefix();
    const env = { HEALTH_FEED_EXPECTATIONS: 'market_data:ETH=300ms' };
    const [a, b] = [await start(prefix, env), await start(prefix, env)];
    expect([a.monitor.isLeader, b.monitor.isLeader].filter(Boolean)).toHaveLength(1);
    await waitFor(() => [a, b].every((t) => t.monitor.latest()?.feeds[0]?.status === 'stale'), { message: 'both see ETH stale' });
    await moreChecks(b, 10);
    expect(await announced(prefix)).toEqual(['market_data:ETH stale']);
  });

  it('the monitor\'s own events on risk_events do not keep a risk_events expectation fresh', async () => {
    const prefix = uniquePrefix();
    const test = await start(prefix, { HEALTH_FEED_EXPECTATIONS: 'risk_events=300ms', HEALTH_EXPECTED_SERVICES: 'billing' });
    await waitFor(async () => (await announced(prefix)).length > 0, { message: 'risk_events announced stale' });
    // Its own system_status (billing missing) and feed_status events land on risk_events meanwhile.
    await moreChecks(test, 15);
    expect(await announced(prefix)).toEqual(['risk_events stale']);
  });

  it('issue 11 item 26 applies: a monitor whose clock runs 3 s ahead judges a live feed fresh (Redis clock)', async () => {
    const prefix = uniquePrefix();
    ticking(prefix, 'SOL', 50);
    const test = await start(prefix, { HEALTH_FEED_EXPECTATIONS: 'market_data:*=400ms' }, { now: () => Date.now() + 3_000 });
    await waitFor(() => test.monitor.latest()?.feeds.some((f) => f.feed === 'market_data:SOL'), { message: 'SOL watched' });
    await moreChecks(test, 20);
    expect(await announced(prefix)).toEqual([]);
    expect(test.monitor.latest()?.feeds[0]).toMatchObject({ feed: 'market_data:SOL', status: 'fresh' });
    expect(test.monitor.latest()?.feeds[0]?.ageSeconds).toBeLessThan(0.4);
  });

  it('hostile input: entries without a subject, with a huge subject or with thousands of subjects do not grow what it watches', async () => {
    const prefix = uniquePrefix();
    const test = await start(prefix, { HEALTH_FEED_EXPECTATIONS: 'market_data:*=5s,market_data:BTC=5s', HEALTH_FEED_MAX_SUBJECTS: '10' });
    const stream = `${prefix}market_data`;
    // Reading (the named BTC is judged only while the tail reads), so every entry below is read as it comes.
    await waitFor(() => test.monitor.latest()?.feeds.some((f) => f.feed === 'market_data:BTC'), { message: 'the tail reading' });
    const entry = (subject?: string) => ['specversion', '1.0', 'id', `x-${Math.random()}`, 'source', '/hostile', 'type', 'price_update', 'time', new Date().toISOString(), ...(subject === undefined ? [] : ['subject', subject]), 'datacontenttype', 'application/json', 'data', '{}'];
    const pipeline = admin.pipeline();
    for (let i = 0; i < 200; i++) pipeline.xadd(stream, '*', ...entry());
    pipeline.xadd(stream, '*', ...entry('X'.repeat(100_000)));
    pipeline.xadd(stream, '*', ...entry('two words'));
    for (let i = 0; i < 2_000; i++) pipeline.xadd(stream, '*', ...entry(`junk-${i}`));
    await pipeline.exec();
    const refused = async (reason: string) => sampleValue(await test.metrics(), 'rebal_feed_subjects_refused_total', { stream, reason }) ?? 0;
    await waitFor(async () => (await refused('cap')) >= 1_990, { message: 'the subjects past the cap refused' });
    expect(await refused('invalid')).toBe(2);
    const families = await test.metrics();
    // BTC (named) plus the first 10 learned subjects, whatever came after.
    expect(findSamples(families, 'rebal_feed_age_seconds').length).toBeLessThanOrEqual(11);
    await waitFor(async () => sampleValue(await test.metrics(), 'rebal_feed_watched', { stream }) === 11, { message: '11 feeds judged' });
    expect(test.monitor.latest()?.feeds.every((f) => f.feed.length < 300)).toBe(true);
  });
});
