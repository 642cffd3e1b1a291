import { judgeResources, keyFamily, type ResourceSnapshot } from './resources';

describe('keyFamily', () => {
  it.each([
    ['market_data', 'streams'],
    ['risk_events:dlq', 'streams'],
    ['{alerts}:alert:a1', 'alerts'],
    ['{alerts}:processed:e1', 'idempotency'],
    ['session:s1', 'sessions'],
    ['health-monitor:lease', 'health-monitor'],
    ['cache-lock:health:latest', 'cache'],
    ['{rebal-notify}:webhooks:wait', 'notifications'],
    ['alert-service:prices:BTC', 'price-history'],
    ['market_data_copy', 'other'],
  ])('puts %s in %s', (key, family) => {
    expect(keyFamily(key)).toBe(family);
  });
});

describe('judgeResources', () => {
  const snapshot = (overrides: Partial<ResourceSnapshot>): ResourceSnapshot => ({
    redisUsedMemory: 0,
    keys: { streams: 5, alerts: 0, idempotency: 0, sessions: 0, 'health-monitor': 0, cache: 0, notifications: 0, 'price-history': 0, other: 0 },
    keysWithoutTtl: [],
    rssKiB: { 'gateway-1': 80_000 },
    groups: 3,
    ...overrides,
  });

  it('accepts the same shape after a run', () => {
    expect(judgeResources(snapshot({}), snapshot({}))).toEqual([]);
  });

  it('reports stray keys, keys that never expire, a replica past the memory bound and unreaped groups', () => {
    const after = snapshot({ keys: { ...snapshot({}).keys, other: 1 }, keysWithoutTtl: ['session:s1'], rssKiB: { 'gateway-1': 500 * 1024 }, groups: 4 });
    const problems = judgeResources(snapshot({}), after).join('\n');
    expect(problems).toMatch(/1 key\(s\) outside/);
    expect(problems).toMatch(/never expire: session:s1/);
    expect(problems).toMatch(/gateway-1 uses 500 MiB/);
    expect(problems).toMatch(/4 consumer groups, 3 before/);
  });
});
