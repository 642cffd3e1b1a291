import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { sampleValue } from './test/prometheus-text';
import { connect, fakeInstance, startTestMonitor, systemStatusEvents, uniquePrefix, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(20_000);

const redis = useRedis();

const HEARTBEAT_MS = 150;
const TIMEOUT_MS = 900;
const CHECK_MS = 100;

describe('health monitor services', () => {
  let admin: RedisConnection;
  let test: TestMonitor | undefined;

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    await test?.close();
    admin?.disconnect();
  });

  it('turns a service down within the timeout once its heartbeats stop, and announces each transition once', async () => {
    const prefix = uniquePrefix();
    // The service beats before the monitor starts: a new monitor reads the recent heartbeats.
    let billing = fakeInstance(admin, prefix, 'billing', 'billing-1', HEARTBEAT_MS);
    await waitFor(async () => (await admin.xlen(`${prefix}service_heartbeats`)) > 0);
    test = await startTestMonitor(redis.server, {
      REDIS_STREAM_PREFIX: prefix,
      HEALTH_EXPECTED_SERVICES: 'billing',
      HEALTH_CHECK_INTERVAL: `${CHECK_MS}ms`,
      HEALTH_HEARTBEAT_TIMEOUT: `${TIMEOUT_MS}ms`,
      HEALTH_REAP_GRACE: '10s',
    });
    const monitor = test.monitor;
    const billingStatus = () => monitor.latest()?.services.find((s) => s.service === 'billing');
    await waitFor(() => billingStatus()?.status === 'healthy', { message: 'billing healthy' });
    expect(billingStatus()?.instances[0]).toMatchObject({
      instance: 'billing-1', status: 'healthy', version: '9.9.9', details: { fake: true }, uptimeSeconds: expect.any(Number), startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(sampleValue(await test.metrics(), 'rebal_health_instance_info', { service: 'billing', instance: 'billing-1', version: '9.9.9' })).toBe(1);
    expect(monitor.isLeader).toBe(true);
    expect(test.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['Redis Streams initialized successfully', `Registered consumer for stream: ${prefix}service_heartbeats`]));

    // Killed: no more heartbeats, no goodbye.
    await billing.kill();
    const killedAt = Date.now();
    await waitFor(() => billingStatus()?.status === 'down', { timeoutMs: 5_000, intervalMs: 10, message: 'billing down' });
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThanOrEqual(TIMEOUT_MS + CHECK_MS + 700);
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - HEARTBEAT_MS - 50);
    expect(monitor.latest()?.status).toBe('down');
    expect(monitor.latest()?.reasons).toContainEqual(expect.objectContaining({ code: 'service_down', subject: 'billing' }));

    const billingEvents = async () => (await systemStatusEvents(admin, prefix)).filter((e) => e.service === 'billing');
    await waitFor(async () => (await billingEvents()).length >= 2, { message: 'billing down events' });
    // Many more checks: still one event per transition.
    const checksNow = sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
    await waitFor(async () => (sampleValue(await test?.metrics() ?? [], 'rebal_health_checks_total') ?? 0) >= checksNow + 8, { message: '8 more checks' });
    expect(await billingEvents()).toEqual([
      { service: 'billing', status: 'down', reason: expect.stringContaining('all 1 instance(s) down') },
      { service: 'billing', instance: 'billing-1', status: 'down', reason: expect.stringContaining('no heartbeat for') },
    ]);
    const systemEvents = (await systemStatusEvents(admin, prefix)).filter((e) => e.service === 'system');
    expect(systemEvents.map((e) => e.status)).toEqual(['down']);
    expect(systemEvents[0]?.reason).toContain('billing');

    // It comes back: one recovery event per scope.
    billing = fakeInstance(admin, prefix, 'billing', 'billing-1', HEARTBEAT_MS);
    try {
      await waitFor(() => billingStatus()?.status === 'healthy', { message: 'billing healthy again' });
      await waitFor(async () => (await billingEvents()).length >= 4, { message: 'billing recovery events' });
      const recovered = sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
      await waitFor(async () => (sampleValue(await test?.metrics() ?? [], 'rebal_health_checks_total') ?? 0) >= recovered + 5, { message: '5 more checks' });
      expect((await billingEvents()).slice(2)).toEqual([
        { service: 'billing', status: 'healthy', reason: expect.any(String) },
        { service: 'billing', instance: 'billing-1', status: 'healthy', reason: 'billing/billing-1 reports healthy' },
      ]);
      expect(sampleValue(await test.metrics(), 'rebal_health_instance_status', { service: 'billing', instance: 'billing-1' })).toBe(0);
      // The system recovered with it: one more system event, and only one.
      const systemStatuses = async () => (await systemStatusEvents(admin, prefix)).filter((e) => e.service === 'system').map((e) => e.status);
      await waitFor(async () => (await systemStatuses()).length >= 2, { message: 'system recovery event' });
      expect(await systemStatuses()).toEqual(['down', 'healthy']);
    } finally {
      await billing.kill();
    }

    // A graceful close leaves no consumer behind in the heartbeat group.
    const instance = monitor.latest()?.monitor.instance;
    await test.close();
    const consumers = (await admin.xinfo('CONSUMERS', `${prefix}service_heartbeats`, 'health-monitor')) as unknown[][];
    expect(consumers.map((c) => String(c[1]))).not.toContain(instance);
  });
});
