import { useRedis, waitFor } from '@rebal/redis-testing';
import { CLIENT_FACING_STREAMS, type RedisConnection } from '@rebal/redis-client';
import type { HealthSnapshot } from './status';
import { sampleValue } from './test/prometheus-text';
import { connect, fakeInstance, groupNames, publishOne, startTestMonitor, systemStatusEvents, uniquePrefix, type FakeInstance, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(25_000);

// A server of its own: one test changes the default user's permissions.
const redis = useRedis();

const GRACE_MS = 1_500;
const HEARTBEAT_MS = 150;

/** Settings under which a monitor that misjudges a live instance's silence reports it down within 600 ms and reaps it after 1.5 s. */
function env(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_STREAM_PREFIX: prefix,
    HEALTH_HEARTBEAT_TIMEOUT: '600ms',
    HEALTH_REAP_GRACE: `${GRACE_MS}ms`,
    HEALTH_LEASE_TTL: '900ms',
    HEALTH_CHECK_INTERVAL: '100ms',
    ...extra,
  };
}

/**
 * A live gateway whose reader is behind: group `gateway.<instance>` on every client-facing
 * stream, read once, then an entry it has not read yet. Only its heartbeats tell the monitor
 * it is alive, so a monitor that misjudges them destroys these groups.
 */
async function laggingGatewayGroups(conn: RedisConnection, prefix: string, instance: string): Promise<string[]> {
  const streams = CLIENT_FACING_STREAMS.map((name) => `${prefix}${name}`);
  for (const stream of streams) {
    await conn.xgroup('CREATE', stream, `gateway.${instance}`, '$', 'MKSTREAM');
    await conn.xadd(stream, '*', 'note', 'read');
    await conn.call('XREADGROUP', 'GROUP', `gateway.${instance}`, instance, 'COUNT', '10', 'NOACK', 'STREAMS', stream, '>');
  }
  await publishOne(conn, streams, 'not read yet');
  return streams;
}

/** Every instance a snapshot reports down, as `service/instance`. */
function downInstances(snapshot: HealthSnapshot | undefined): string[] {
  return (snapshot?.services ?? []).flatMap((s) => s.instances.filter((i) => i.status === 'down').map((i) => `${s.service}/${i.instance}`));
}

/** Collects what `probe` returns every 10 ms until `stop()`: what each check reported, between two polls of the test. */
function watch(probe: () => string[]): { seen: Set<string>; stop(): void } {
  const seen = new Set<string>();
  const timer = setInterval(() => probe().forEach((item) => seen.add(item)), 10);
  return { seen, stop: () => clearInterval(timer) };
}

describe('health monitor guards', () => {
  let admin: RedisConnection;
  const monitors: TestMonitor[] = [];
  const instances: FakeInstance[] = [];

  beforeAll(async () => {
    admin = await connect(redis.server);
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await Promise.all(monitors.map((m) => m.close()));
    admin?.disconnect();
  });

  const checksDone = async (test: TestMonitor) => sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
  const moreChecks = async (test: TestMonitor, n: number) => {
    const from = await checksDone(test);
    await waitFor(async () => (await checksDone(test)) >= from + n, { timeoutMs: 15_000, message: `${n} more checks` });
  };

  it('issue 11 item 26: a monitor whose clock runs 3 s ahead reports no live instance down and destroys no live group (600 ms timeout)', async () => {
    const prefix = uniquePrefix();
    instances.push(fakeInstance(admin, prefix, 'streaming-gateway', 'gw-live', HEARTBEAT_MS));
    const streams = await laggingGatewayGroups(admin, prefix, 'gw-live');
    const test = await startTestMonitor(redis.server, env(prefix), { now: () => Date.now() + 3_000 });
    monitors.push(test);
    const down = watch(() => downInstances(test.monitor.latest()));
    try {
      await waitFor(() => test.monitor.latest()?.services.some((s) => s.service === 'streaming-gateway'), { message: 'gw-live seen' });
      // Past the grace period, so a monitor misjudging the heartbeats would have reaped by now.
      await moreChecks(test, 30);
    } finally {
      down.stop();
    }
    expect([...down.seen]).toEqual([]);
    expect((await systemStatusEvents(admin, prefix)).filter((e) => e.status === 'down')).toEqual([]);
    for (const stream of streams) expect(await groupNames(admin, stream)).toContain('gateway.gw-live');
    expect(test.monitor.latest()?.services.find((s) => s.service === 'streaming-gateway')?.instances[0]?.secondsSinceHeartbeat).toBeLessThan(0.6);
  });

  it('issue 11 suspected: a housekeeping run that loses its lease midway announces nothing more', async () => {
    const prefix = uniquePrefix();
    const leaseKey = `${prefix}health-monitor:lease`;
    let offsetMs = 0;
    let handedOver = false;
    // Two expected services that never beat: one check finds three transitions at once (the system and both services).
    const test = await startTestMonitor(redis.server, env(prefix, { HEALTH_EXPECTED_SERVICES: 'billing,ledger' }), {
      now: () => Date.now() + offsetMs,
      onLog: (line) => {
        if (handedOver || !/^status of .* changed/.test(line.msg)) return;
        // Right after the first announcement the run stalls past its lease's lifetime and another replica takes the lease.
        handedOver = true;
        offsetMs += 60_000;
        void admin.set(leaseKey, 'elsewhere:token', 'PX', 60_000);
      },
    });
    monitors.push(test);
    await waitFor(() => handedOver, { message: 'the first transition announced' });
    await waitFor(() => !test.monitor.isLeader, { message: 'the lease lost' });
    await moreChecks(test, 10);
    expect(await systemStatusEvents(admin, prefix)).toEqual([{ service: 'system', status: 'down', reason: expect.stringContaining('billing') }]);
    expect(String(await admin.get(leaseKey))).toBe('elsewhere:token');
  });

  it('issue 11 suspected: while its heartbeat reader cannot read, the monitor reports no instance down and reaps nothing', async () => {
    const prefix = uniquePrefix();
    instances.push(fakeInstance(admin, prefix, 'streaming-gateway', 'gw-live', HEARTBEAT_MS));
    const streams = await laggingGatewayGroups(admin, prefix, 'gw-live');
    const test = await startTestMonitor(redis.server, env(prefix));
    monitors.push(test);
    const gateway = () => test.monitor.latest()?.services.find((s) => s.service === 'streaming-gateway');
    await waitFor(() => gateway()?.status === 'healthy', { message: 'gw-live healthy' });
    const down = watch(() => downInstances(test.monitor.latest()));
    // Redis stays reachable and the instances keep beating, but the monitor's XREADGROUP is refused (NOPERM).
    await admin.call('ACL', 'SETUSER', 'default', '-xreadgroup');
    try {
      await waitFor(async () => (await test.get('/readyz')).status === 503, { message: 'the heartbeat reader stopped' });
      await moreChecks(test, 30);
      expect(test.monitor.latest()?.reasons).toContainEqual(expect.objectContaining({ code: 'heartbeats_unobserved', status: 'degraded' }));
    } finally {
      down.stop();
      await admin.call('ACL', 'SETUSER', 'default', '+xreadgroup');
    }
    expect([...down.seen]).toEqual([]);
    expect((await systemStatusEvents(admin, prefix)).filter((e) => e.status === 'down')).toEqual([]);
    for (const stream of streams) expect(await groupNames(admin, stream)).toContain('gateway.gw-live');
    await waitFor(async () => (await test.get('/readyz')).status === 200, { message: 'reading again' });
    await waitFor(() => test.monitor.latest()?.status === 'healthy', { message: 'healthy again' });
  });
});
