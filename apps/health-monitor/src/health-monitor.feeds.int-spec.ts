import { decodeEntry, streamIdMs, type CloudEvent, type FeedStatusData, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { HealthSnapshot } from './status';
import { connect, uniquePrefix } from './test/monitor-harness';
import { parsePrometheusText, sampleValue } from './test/prometheus-text';
import { ServiceProcess } from './test/service-process';

jest.setTimeout(120_000);

const redis = useRedis();

/** The expected interval of every market_data symbol in this test. */
const INTERVAL_MS = 1_000;

/** A `feed_status` event with its stream entry id. */
interface FeedEvent {
  id: string;
  event: CloudEvent<FeedStatusData>;
}

/** The `feed_status` events on `<prefix>risk_events`, oldest first (each one decoded and validated by the event library). */
async function feedEvents(conn: RedisConnection, prefix: string): Promise<FeedEvent[]> {
  const entries = (await conn.xrange(`${prefix}risk_events`, '-', '+')) as Array<[string, string[]]>;
  return entries.flatMap(([id, fields]) => {
    const decoded = decodeEntry<FeedStatusData>(fields, { types: ['risk_metric', 'system_status', 'feed_status'] });
    if (!decoded.ok) throw new Error(`invalid entry ${id} on risk_events: ${decoded.reason}`);
    return decoded.event.type === 'feed_status' ? [{ id, event: decoded.event }] : [];
  });
}

/** The id of the newest `price_update` of `symbol` on `<prefix>market_data`. */
async function lastPriceId(conn: RedisConnection, prefix: string, symbol: string): Promise<string> {
  const entries = (await conn.xrevrange(`${prefix}market_data`, '+', '-', 'COUNT', 500)) as Array<[string, string[]]>;
  const found = entries.find(([, fields]) => fields[fields.lastIndexOf('subject') + 1] === symbol);
  if (!found) throw new Error(`no price of ${symbol} in the last 500 entries`);
  return found[0];
}

const iso = (id: string): string => new Date(streamIdMs(id) as number).toISOString();

describe('feed freshness, with the health monitor and the market simulator as processes', () => {
  let admin: RedisConnection;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    admin?.disconnect();
  });

  it('stopping one symbol\'s feed raises feed_status stale for market_data:<symbol> within 2x its interval, the metric shows its age, restarting it emits fresh', async () => {
    const prefix = uniquePrefix();
    const common = { ...redis.server.env, REDIS_STREAM_PREFIX: prefix, LOG_LEVEL: 'info' };
    const [simulator, monitor] = await Promise.all([
      // 10 prices a second per symbol: a normal gap of 100 ms, far inside the 1 s expected.
      ServiceProcess.start('market-simulator', 'market simulator listening', { ...common, SIM_SYMBOLS: 'BTC,ETH', SIM_RATE: '20', SIM_PORTFOLIOS: '0', SIM_SEED: '11', SIM_CONTROL: 'true' }),
      ServiceProcess.start('health-monitor', 'health monitor listening', {
        ...common,
        INSTANCE_ID: 'feed-monitor',
        HEALTH_FEED_EXPECTATIONS: `market_data:*=${INTERVAL_MS}ms`,
        HEALTH_CHECK_INTERVAL: '200ms',
        HEALTH_EXPECTED_SERVICES: 'none',
      }),
    ]);
    processes.push(simulator, monitor);
    const status = async () => (await (await monitor.fetch('/api/v1/status')).json()) as HealthSnapshot;
    const metrics = async () => parsePrometheusText(await (await monitor.fetch('/metrics')).text());
    const feed = (snapshot: HealthSnapshot, symbol: string) => snapshot.feeds.find((f) => f.feed === `market_data:${symbol}`);
    await waitFor(async () => {
      const snapshot = await status();
      return feed(snapshot, 'BTC')?.status === 'fresh' && feed(snapshot, 'ETH')?.status === 'fresh';
    }, { timeoutMs: 20_000, message: 'BTC and ETH watched and fresh' });

    // Stop BTC's feed.
    const paused = await simulator.fetch('/api/v1/symbols/BTC/pause', { method: 'POST' });
    expect(paused.status).toBe(200);
    const stale = await waitFor(async () => (await feedEvents(admin, prefix)).find((e) => e.event.subject === 'market_data:BTC'), { timeoutMs: 10_000, message: 'feed_status for BTC' });
    const lastBtc = await lastPriceId(admin, prefix, 'BTC');
    // Both ids are Redis time: from BTC's last price to the announcement.
    const tookMs = (streamIdMs(stale.id) as number) - (streamIdMs(lastBtc) as number);
    expect(tookMs).toBeGreaterThan(INTERVAL_MS * 1.5);
    expect(tookMs).toBeLessThanOrEqual(2 * INTERVAL_MS);
    expect(stale.event).toMatchObject({ type: 'feed_status', source: '/health-monitor', subject: 'market_data:BTC' });
    expect(stale.event.data).toEqual({
      stream: 'market_data',
      subject: 'BTC',
      status: 'stale',
      lastEventAt: iso(lastBtc),
      expectedIntervalMs: INTERVAL_MS,
      since: new Date((streamIdMs(lastBtc) as number) + INTERVAL_MS * 1.5).toISOString(),
    });

    // The metric shows its age, the other symbol's stays small; the status lists it first.
    const families = await metrics();
    const streamLabel = `${prefix}market_data`;
    expect(sampleValue(families, 'rebal_feed_age_seconds', { stream: streamLabel, subject: 'BTC' })).toBeGreaterThan(1.5);
    expect(sampleValue(families, 'rebal_feed_age_seconds', { stream: streamLabel, subject: 'ETH' })).toBeLessThan(1.5);
    expect(sampleValue(families, 'rebal_feed_stale', { stream: streamLabel })).toBe(1);
    const listed = await waitFor(async () => {
      const snapshot = await status();
      return snapshot.feeds[0]?.status === 'stale' ? snapshot.feeds : undefined;
    }, { message: 'the stale feed in /api/v1/status' });
    expect(listed.map((f) => `${f.feed} ${f.status}`)).toEqual(['market_data:BTC stale', 'market_data:ETH fresh']);
    expect(listed[0]).toMatchObject({ stream: 'market_data', subject: 'BTC', expectedIntervalMs: INTERVAL_MS, lastEventAt: iso(lastBtc), since: stale.event.data.since });
    expect(listed[0]?.ageSeconds).toBeGreaterThan(1.5);

    // Restart it: one fresh event, since its first new price.
    const resumed = await simulator.fetch('/api/v1/symbols/BTC/resume', { method: 'POST' });
    expect(resumed.status).toBe(200);
    const fresh = await waitFor(async () => (await feedEvents(admin, prefix)).find((e) => e.event.subject === 'market_data:BTC' && e.event.data.status === 'fresh'), {
      timeoutMs: 10_000,
      message: 'feed_status fresh for BTC',
    });
    expect(fresh.event.data).toEqual({ stream: 'market_data', subject: 'BTC', status: 'fresh', lastEventAt: expect.any(String), expectedIntervalMs: INTERVAL_MS, since: fresh.event.data.lastEventAt });
    expect(Date.parse(fresh.event.data.since)).toBeGreaterThan(streamIdMs(lastBtc) as number);
    await waitFor(async () => (sampleValue(await metrics(), 'rebal_feed_age_seconds', { stream: streamLabel, subject: 'BTC' }) ?? 99) < 1, { message: 'BTC age small again' });

    // Transitions only: after many more evaluations, still one stale and one fresh, and nothing for ETH.
    const checks = sampleValue(await metrics(), 'rebal_health_checks_total') ?? 0;
    await waitFor(async () => (sampleValue(await metrics(), 'rebal_health_checks_total') ?? 0) >= checks + 10, { message: '10 more checks' });
    expect((await feedEvents(admin, prefix)).map((e) => `${e.event.subject} ${e.event.data.status}`)).toEqual(['market_data:BTC stale', 'market_data:BTC fresh']);
    expect(sampleValue(await metrics(), 'rebal_feed_transitions_total', { stream: streamLabel, status: 'stale' })).toBe(1);
    expect(monitor.messages()).toEqual(expect.arrayContaining([expect.stringMatching(/^feed market_data:BTC stale: no event for \d+\.\d s \(expected every 1 s\)$/), expect.stringMatching(/^feed market_data:BTC fresh again after/)]));

    // A clean shutdown, the feed tail's blocked read included.
    const [simExit, monitorExit] = await Promise.all([simulator.stop('SIGTERM'), monitor.stop('SIGTERM')]);
    expect(simExit).toEqual({ code: 0, signal: null });
    expect(monitorExit).toEqual({ code: 0, signal: null });
    expect(monitor.logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
