import { useRedis, waitFor } from '@rebal/redis-testing';
import type { HealthSnapshot } from './status';
import { sampleValue } from './test/prometheus-text';
import { startTestMonitor, uniquePrefix, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(30_000);

// A server of its own: this test stops it.
const redis = useRedis();

describe('health monitor during a Redis outage', () => {
  let test: TestMonitor | undefined;

  afterAll(async () => {
    await test?.close();
  });

  it('stays up, reports down with the reason and not ready, and recovers when Redis returns', async () => {
    test = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: uniquePrefix(), HEALTH_CHECK_INTERVAL: '150ms' });
    const t = test;
    const status = async () => (await (await t.get('/api/v1/status')).json()) as HealthSnapshot;
    await waitFor(async () => (await status()).status === 'healthy' && (await t.get('/readyz')).status === 200, { message: 'healthy and ready' });
    const initialized = () => t.logs.filter((l) => l.msg === 'Redis Streams initialized successfully').length;
    expect(initialized()).toBe(1);

    await redis.server.stop();
    const down = await waitFor(async () => {
      const snapshot = await status();
      return snapshot.status === 'down' ? snapshot : undefined;
    }, { message: 'reported down' });
    expect(down.reason).toMatch(/^Redis unreachable: /);
    expect(down.reasons).toEqual([expect.objectContaining({ code: 'redis_unreachable', status: 'down' })]);
    expect((await t.get('/livez')).status).toBe(200);
    await waitFor(async () => (await t.get('/readyz')).status === 503, { message: '/readyz 503' });
    const readiness = (await (await t.get('/readyz')).json()) as { checks: Record<string, string> };
    expect(readiness.checks['redis']).toBe('degraded');
    const metrics = await t.metrics();
    expect(sampleValue(metrics, 'redis_up')).toBe(0);
    expect(sampleValue(metrics, 'rebal_health_status', { scope: 'system' })).toBe(2);
    expect(t.logs.some((l) => /degraded mode/.test(l.msg))).toBe(true);

    await redis.server.start();
    await waitFor(async () => (await status()).status === 'healthy', { timeoutMs: 15_000, message: 'healthy again' });
    await waitFor(async () => (await t.get('/readyz')).status === 200, { timeoutMs: 15_000, message: 'ready again' });
    expect(sampleValue(await t.metrics(), 'redis_up')).toBe(1);
    await waitFor(() => initialized() === 2, { message: 'initialized logged again after the reconnect' });
    // The heartbeat consumer reads again: the monitor's own heartbeats arrive.
    const since = Date.now();
    await waitFor(async () => {
      const self = (await status()).services.find((s) => s.service === 'health-monitor')?.instances[0];
      return self !== undefined && Date.parse(self.lastHeartbeatAt) > since;
    }, { timeoutMs: 10_000, message: 'own heartbeats recorded again' });
  });
});
