import { feedRouteKey, routeOf, routingSubject } from './event-routing';
import { feedStateOf, feedTransition } from './feed-alert';

const data = (status: 'stale' | 'fresh', extra: Record<string, unknown> = {}) => ({
  stream: 'market_data',
  subject: 'BTC',
  status,
  lastEventAt: '2025-03-01T12:00:00.000Z',
  expectedIntervalMs: 5_000,
  since: status === 'stale' ? '2025-03-01T12:00:07.500Z' : '2025-03-01T12:01:00.000Z',
  ...extra,
});

describe('feed routing', () => {
  it('routes a symbol\'s price feed with the symbol, every other feed by its name, and leaves other subjects alone', () => {
    expect(routeOf('feed_status', data('stale'), 'market_data:BTC')).toEqual({ family: 'f', key: 'BTC' });
    expect(routeOf('feed_status', { ...data('stale'), subject: undefined }, 'market_data')).toEqual({ family: 'f', key: 'market_data' });
    expect(routeOf('feed_status', { ...data('stale'), stream: 'portfolio_updates', subject: 'p1' }, 'portfolio_updates:p1')).toEqual({ family: 'f', key: 'portfolio_updates:p1' });
    expect(feedRouteKey('market_data:ETH')).toBe('ETH');
    const typeOf = jest.fn(() => 'feed_status');
    expect(routingSubject('market_data:BTC', typeOf)).toBe('BTC');
    expect(routingSubject('BTC', typeOf)).toBe('BTC');
    expect(typeOf).toHaveBeenCalledTimes(1);
    // A portfolio id that looks like a feed stays what it is unless the entry is a feed_status.
    expect(routingSubject('market_data:p-1', () => 'risk_metric')).toBe('market_data:p-1');
  });
});

describe('feedTransition', () => {
  it('raises an S1 alert when a feed goes stale and resolves it when it is fresh again; repeats and unknown fresh feeds change nothing', () => {
    const stale = feedStateOf(data('stale') as never, '10-0');
    const raise = feedTransition(undefined, stale, 1_000);
    expect(raise).toMatchObject({ kind: 'raise', ruleId: 'feed_stale', severity: 'S1', value: 7.5, threshold: 5, labels: { alertname: 'feed_stale', stream: 'market_data', subject: 'BTC' }, atMs: 1_000 });
    expect(raise?.annotations.summary).toBe('Feed market_data:BTC is stale: no event since 2025-03-01T12:00:00.000Z (expected every 5 s)');
    expect(feedTransition(stale, feedStateOf(data('stale') as never, '11-0'), 2_000)).toBeUndefined();
    const fresh = feedStateOf(data('fresh') as never, '12-0');
    expect(feedTransition(stale, fresh, 3_000)).toMatchObject({ kind: 'resolve', fingerprint: raise?.fingerprint, value: 52.5 });
    expect(feedTransition(undefined, fresh, 3_000)).toBeUndefined();
  });
});
