import { decodeEntry, streamIdMs, type FeedStatusData } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { AlertJson, RuleJson } from '../src/api';
import { ApiClient, signToken } from './support/api-client';
import { AlertServiceProcess } from './support/service-process';
import { AdminConnections, serviceEnv, uniquePrefix } from './support/suite-context';

jest.setTimeout(180_000);

const redis = useRedis({}, 180_000);

/** How often each symbol must see a price in this test. */
const INTERVAL_MS = 1_000;

describe('feed freshness reaches the rules, with the market simulator, the health monitor and the alert service as processes (issue 15)', () => {
  const admins = new AdminConnections();
  const processes: AlertServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.kill('SIGKILL')));
    await admins.closeAll();
  });

  it('pausing one symbol\'s prices raises feed_status stale, puts its price rule in no_data and raises one S1 alert; resuming clears all three', async () => {
    const prefix = uniquePrefix();
    const admin = admins.connect(redis.server);
    const common = { ...redis.server.env, REDIS_STREAM_PREFIX: prefix, LOG_LEVEL: 'info' };
    const [simulator, monitor, alerts] = await Promise.all([
      // 10 prices a second per symbol: a normal gap of 100 ms, far inside the 1 s expected.
      AlertServiceProcess.startApp('market-simulator', { ...common, SIM_SYMBOLS: 'BTC,ETH', SIM_RATE: '20', SIM_PORTFOLIOS: '0', SIM_SEED: '15', SIM_CONTROL: 'true' }),
      AlertServiceProcess.startApp('health-monitor', {
        ...common,
        INSTANCE_ID: 'feed-monitor',
        HEALTH_FEED_EXPECTATIONS: `market_data:*=${INTERVAL_MS}ms`,
        HEALTH_CHECK_INTERVAL: '200ms',
        HEALTH_EXPECTED_SERVICES: 'none',
      }),
      AlertServiceProcess.start({ ...serviceEnv(redis.server, prefix), INSTANCE_ID: 'feed-alerts' }),
    ]);
    processes.push(simulator, monitor, alerts);
    const api = new ApiClient(alerts.url, await signToken('trader'));
    // Rules on both symbols that no simulated price reaches: only their feeds can change their status.
    await api.expect(201, 'POST', '/rules', { id: 'btc-moon', name: 'BTC moon', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 1e12 } });
    await api.expect(201, 'POST', '/rules', { id: 'eth-moon', name: 'ETH moon', kind: 'price_threshold', symbol: 'ETH', direction: 'above', severities: { S1: 1e12 } });
    const stateOf = async (id: string) => (await api.get<RuleJson>(`/rules/${id}`)).status.subjects[0];
    const feedAlerts = async () => (await api.get<{ items: AlertJson[] }>('/alerts?type=feed_status&limit=500')).items;
    const feedEvents = async () =>
      ((await admin.xrange(`${prefix}risk_events`, '-', '+')) as Array<[string, string[]]>).flatMap(([id, fields]) => {
        const decoded = decodeEntry<FeedStatusData>(fields);
        return decoded.ok && decoded.event.type === 'feed_status' ? [{ id, data: decoded.event.data, subject: decoded.event.subject }] : [];
      });
    // Both feeds watched and flowing before anything is stopped.
    await waitFor(async () => (await (await fetch(`${monitor.url}/api/v1/status`)).json() as { feeds: Array<{ status: string }> }).feeds.filter((feed) => feed.status === 'fresh').length === 2, {
      timeoutMs: 30_000,
      message: 'BTC and ETH watched and fresh',
    });
    expect(await stateOf('btc-moon')).toEqual({ subject: { symbol: 'BTC' }, state: 'inactive', phase: 'inactive' });

    expect((await fetch(`${simulator.url}/api/v1/symbols/BTC/pause`, { method: 'POST' })).status).toBe(200);
    const stale = await waitFor(async () => (await feedEvents()).find((event) => event.subject === 'market_data:BTC' && event.data.status === 'stale'), { timeoutMs: 15_000, message: 'feed_status stale for BTC' });
    // The monitor's part: within 2x the interval of BTC's last price (both are Redis times).
    expect((streamIdMs(stale.id) as number) - Date.parse(stale.data.lastEventAt as string)).toBeLessThanOrEqual(2 * INTERVAL_MS);
    const raised = await waitFor(async () => {
      const open = (await feedAlerts()).filter((alert) => alert.status === 'firing');
      return open.length > 0 ? open : undefined;
    }, { timeoutMs: 15_000, message: 'the feed_stale alert' });
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ ruleId: 'feed_stale', type: 'feed_status', severity: 'S1', labels: { alertname: 'feed_stale', stream: 'market_data', subject: 'BTC' } });
    expect(raised[0]?.evidence).toEqual([expect.objectContaining({ type: 'raise', stream: `${prefix}risk_events`, id: stale.id })]);
    const noData = await waitFor(async () => {
      const state = await stateOf('btc-moon');
      return state?.state === 'no_data' ? state : undefined;
    }, { message: 'btc-moon in no_data' });
    expect(noData).toEqual({ subject: { symbol: 'BTC' }, state: 'no_data', phase: 'inactive', since: stale.data.since, feed: 'market_data:BTC' });
    expect(await stateOf('eth-moon')).toMatchObject({ state: 'inactive' });
    // The list says the same.
    const listed = await api.get<{ items: RuleJson[] }>('/rules');
    expect(listed.items.find((rule) => rule.id === 'btc-moon')?.status.subjects[0]?.state).toBe('no_data');

    expect((await fetch(`${simulator.url}/api/v1/symbols/BTC/resume`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await feedEvents()).some((event) => event.subject === 'market_data:BTC' && event.data.status === 'fresh'), { timeoutMs: 15_000, message: 'feed_status fresh for BTC' });
    const resolved = await waitFor(async () => {
      const [alert] = await feedAlerts();
      return alert?.status === 'resolved' ? alert : undefined;
    }, { timeoutMs: 15_000, message: 'the feed_stale alert resolved' });
    expect(resolved).toMatchObject({ id: raised[0]?.id, resolvedBy: 'rule:feed_stale' });
    await waitFor(async () => (await stateOf('btc-moon'))?.state === 'inactive', { message: 'btc-moon out of no_data' });
    // One alert in all, for the one stale feed.
    expect((await feedAlerts()).map((alert) => [alert.labels['subject'], alert.status])).toEqual([['BTC', 'resolved']]);

    const exits = await Promise.all([simulator.kill('SIGTERM'), monitor.kill('SIGTERM'), alerts.kill('SIGTERM')]);
    expect(exits).toEqual([0, 0, 0].map(() => ({ code: 0, signal: null })));
    expect(alerts.logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
