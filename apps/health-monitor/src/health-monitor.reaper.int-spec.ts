import { useRedis, waitFor } from '@rebal/redis-testing';
import { CLIENT_FACING_STREAMS, type RedisConnection } from '@rebal/redis-client';
import { sampleValue } from './test/prometheus-text';
import { blockingReader, connect, fakeInstance, groupNames, publishOne, startTestMonitor, uniquePrefix, type FakeInstance, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(25_000);

const redis = useRedis();

const GRACE_MS = 1_500;
const HEARTBEAT_MS = 150;

/** Calls of an XGROUP subcommand since the last CONFIG RESETSTAT, from the server's INFO commandstats (failed and no-op calls included). */
async function xgroupCalls(conn: RedisConnection, subcommand: 'destroy' | 'delconsumer'): Promise<number> {
  const match = new RegExp(`^cmdstat_xgroup\\|${subcommand}:calls=(\\d+)`, 'm').exec(await conn.info('commandstats'));
  return Number(match?.[1] ?? 0);
}

/** What a gateway replica leaves in Redis: group `gateway.<id>` on every client-facing stream, read once by consumer `<id>`. */
async function gatewayGroups(conn: RedisConnection, prefix: string, instance: string): Promise<void> {
  for (const name of CLIENT_FACING_STREAMS) {
    const stream = `${prefix}${name}`;
    await conn.xgroup('CREATE', stream, `gateway.${instance}`, '$', 'MKSTREAM');
    await conn.xadd(stream, '*', 'n', instance);
    await conn.call('XREADGROUP', 'GROUP', `gateway.${instance}`, instance, 'COUNT', '10', 'NOACK', 'STREAMS', stream, '>');
  }
}

describe('health monitor housekeeping', () => {
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

  it('reaps the groups and idle consumers of a killed instance after the grace period, never a live one, with only one of two monitors reaping', async () => {
    const prefix = uniquePrefix();
    const env = {
      REDIS_STREAM_PREFIX: prefix,
      HEALTH_HEARTBEAT_TIMEOUT: '600ms',
      HEALTH_REAP_GRACE: `${GRACE_MS}ms`,
      HEALTH_LEASE_TTL: '900ms',
      HEALTH_CHECK_INTERVAL: '100ms',
    };
    // This file's server is its own: from here on, every XGROUP DESTROY / DELCONSUMER it runs is a monitor's.
    await admin.config('RESETSTAT');
    monitors.push(await startTestMonitor(redis.server, env), await startTestMonitor(redis.server, env));
    const [first, second] = monitors.map((m) => m.monitor);
    expect([first?.isLeader, second?.isLeader].filter(Boolean)).toHaveLength(1);

    const dead = fakeInstance(admin, prefix, 'streaming-gateway', 'gw-dead', HEARTBEAT_MS);
    instances.push(dead, fakeInstance(admin, prefix, 'streaming-gateway', 'gw-live', HEARTBEAT_MS));
    await gatewayGroups(admin, prefix, 'gw-dead');
    await gatewayGroups(admin, prefix, 'gw-live');
    // A work-sharing group with a consumer of each (the dead one has nothing pending).
    const market = `${prefix}market_data`;
    await admin.xgroup('CREATE', market, 'alert-service', '0');
    await admin.call('XREADGROUP', 'GROUP', 'alert-service', 'gw-dead', 'COUNT', '1', 'STREAMS', market, '>');
    await admin.call('XREADGROUP', 'GROUP', 'alert-service', 'gw-live', 'COUNT', '1', 'STREAMS', market, '>');
    await admin.xack(market, 'alert-service', ...((await admin.xrange(market, '-', '+')).map(([id]) => id)));
    await waitFor(() => monitors.every((m) => m.monitor.latest()?.services.find((s) => s.service === 'streaming-gateway')?.instances.length === 2), {
      message: 'both gateways seen by both monitors',
    });

    await dead.kill();
    const killedAt = Date.now();
    const deadGroupsLeft = async () => {
      const names = await Promise.all(CLIENT_FACING_STREAMS.map((s) => groupNames(admin, `${prefix}${s}`)));
      return names.flat().filter((name) => name === 'gateway.gw-dead').length;
    };
    await waitFor(async () => (await deadGroupsLeft()) === 0, { timeoutMs: GRACE_MS + 5_000, intervalMs: 20, message: 'gateway.gw-dead reaped' });
    const tookMs = Date.now() - killedAt;
    // Not before the grace period (less the last heartbeat interval), and soon after it.
    expect(tookMs).toBeGreaterThanOrEqual(GRACE_MS - HEARTBEAT_MS - 50);
    expect(tookMs).toBeLessThanOrEqual(GRACE_MS + 2_000);

    for (const name of CLIENT_FACING_STREAMS) expect(await groupNames(admin, `${prefix}${name}`)).toContain('gateway.gw-live');
    const consumers = async () => ((await admin.xinfo('CONSUMERS', market, 'alert-service')) as unknown[][]).map((c) => String(c[1]));
    await waitFor(async () => !(await consumers()).includes('gw-dead'), { message: 'the dead consumer reaped' });
    expect(await consumers()).toEqual(['gw-live']);

    // Exactly one monitor reaped; the other never did.
    const reaped = await Promise.all(monitors.map(async (m) => sampleValue(await m.metrics(), 'rebal_health_reaped_groups_total') ?? 0));
    expect(reaped.sort()).toEqual([0, CLIENT_FACING_STREAMS.length]);
    const leaders = await Promise.all(monitors.map(async (m) => sampleValue(await m.metrics(), 'rebal_health_leader')));
    expect(leaders.sort()).toEqual([0, 1]);

    // The live gateway keeps its groups across many more checks.
    const checks = sampleValue(await monitors[0].metrics(), 'rebal_health_checks_total') ?? 0;
    await waitFor(async () => (sampleValue(await monitors[0].metrics(), 'rebal_health_checks_total') ?? 0) >= checks + 10, { message: '10 more checks' });
    for (const name of CLIENT_FACING_STREAMS) expect(await groupNames(admin, `${prefix}${name}`)).toContain('gateway.gw-live');
    // Redis itself counted one deletion attempt per reaped group and consumer: nothing was deleted twice (a second
    // DESTROY of a group already gone would count here, though it returns 0 and leaves the counters above alone).
    expect(await xgroupCalls(admin, 'destroy')).toBe(CLIENT_FACING_STREAMS.length);
    expect(await xgroupCalls(admin, 'delconsumer')).toBe(1);
  });

  it('issue 11 item 25: keeps the groups of a gateway blocked on quiet streams while its heartbeats pause past the grace period, and reaps them once entries wait unread', async () => {
    const prefix = uniquePrefix();
    const test = await startTestMonitor(redis.server, {
      REDIS_STREAM_PREFIX: prefix,
      HEALTH_HEARTBEAT_TIMEOUT: '600ms',
      HEALTH_REAP_GRACE: `${GRACE_MS}ms`,
      HEALTH_LEASE_TTL: '900ms',
      HEALTH_CHECK_INTERVAL: '100ms',
    });
    monitors.push(test);
    const streams = CLIENT_FACING_STREAMS.map((name) => `${prefix}${name}`);
    const beats = fakeInstance(admin, prefix, 'streaming-gateway', 'gw-quiet', HEARTBEAT_MS);
    instances.push(beats);
    // A live gateway: its groups at the streams' end, one reader blocked on all of them. On Redis
    // 7.0 a blocked XREADGROUP that returns nothing neither creates the consumer nor refreshes its
    // idle time, so these groups have no consumer at all.
    for (const stream of streams) await admin.xgroup('CREATE', stream, 'gateway.gw-quiet', '$', 'MKSTREAM');
    const reader = await blockingReader(redis.server, streams, 'gateway.gw-quiet', 'gw-quiet');
    const gateways = () => test.monitor.latest()?.services.find((s) => s.service === 'streaming-gateway')?.instances ?? [];
    await waitFor(() => gateways().length === 1, { message: 'gw-quiet seen' });
    const groupsLeft = async () => (await Promise.all(streams.map((s) => groupNames(admin, s)))).flat().filter((n) => n === 'gateway.gw-quiet').length;

    // Its heartbeats pause for longer than the grace period (a failing XADD, a monitor that misses them) while it reads.
    await beats.kill();
    await waitFor(() => gateways().length === 0, { timeoutMs: GRACE_MS + 5_000, message: 'gw-quiet silent past the grace period' });
    const checks = sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
    await waitFor(async () => (sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0) >= checks + 20, { message: '20 more checks' });
    expect(reader.failure).toBeUndefined();
    expect(await groupsLeft()).toBe(streams.length);

    // What arrives now reaches the blocked reader at once: nothing waits, the groups stay.
    const delivered = await publishOne(admin, streams, 'read at once');
    await waitFor(() => delivered.every((id) => reader.received.includes(id)), { message: 'entries delivered to the blocked reader' });
    const more = sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0;
    await waitFor(async () => (sampleValue(await test.metrics(), 'rebal_health_checks_total') ?? 0) >= more + 20, { message: '20 more checks' });
    expect(reader.failure).toBeUndefined();
    expect(await groupsLeft()).toBe(streams.length);

    // The gateway is gone for good: its reader stops, entries wait unread for the grace period, the groups go.
    await reader.stop();
    await publishOne(admin, streams, 'never read');
    const publishedAt = Date.now();
    await waitFor(async () => (await groupsLeft()) === 0, { timeoutMs: GRACE_MS + 5_000, intervalMs: 20, message: 'gateway.gw-quiet reaped' });
    expect(Date.now() - publishedAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
  });

  it('never reaps without the lease, however long an instance is gone, and reaps once it holds the lease', async () => {
    const prefix = uniquePrefix();
    // Another replica (not started here) holds the lease.
    const leaseKey = `${prefix}health-monitor:lease`;
    await admin.set(leaseKey, 'elsewhere:token', 'PX', 60_000);
    await admin.config('RESETSTAT');
    const test = await startTestMonitor(redis.server, {
      REDIS_STREAM_PREFIX: prefix,
      HEALTH_HEARTBEAT_TIMEOUT: '600ms',
      HEALTH_REAP_GRACE: `${GRACE_MS}ms`,
      HEALTH_LEASE_TTL: '900ms',
      HEALTH_CHECK_INTERVAL: '100ms',
    });
    monitors.push(test);
    // A gateway never seen by its heartbeats that stopped reading: gone once the monitor has watched for a
    // grace period and an entry has waited unread for as long (a group with nothing waiting is never reaped:
    // on Redis 7.0 nothing shows whether a reader is blocked on it).
    await gatewayGroups(admin, prefix, 'gw-ghost');
    await publishOne(admin, CLIENT_FACING_STREAMS.map((s) => `${prefix}${s}`), 'never read');
    const createdAt = Date.now();
    const ghostGroups = async () => (await Promise.all(CLIENT_FACING_STREAMS.map((s) => groupNames(admin, `${prefix}${s}`)))).flat().filter((n) => n === 'gateway.gw-ghost').length;

    // Past the grace period both signals say "gone" (silent since the monitor started, an entry unread since then): a leader would reap now.
    await waitFor(() => Date.parse(test.monitor.latest()?.checkedAt ?? '') > createdAt + GRACE_MS + 500, { timeoutMs: GRACE_MS + 5_000, message: 'checks past the grace period' });
    expect(test.monitor.isLeader).toBe(false);
    expect(await ghostGroups()).toBe(CLIENT_FACING_STREAMS.length);
    expect(await xgroupCalls(admin, 'destroy')).toBe(0);

    // The other replica's lease ends: this monitor takes it and reaps.
    await admin.del(leaseKey);
    await waitFor(async () => (await ghostGroups()) === 0, { timeoutMs: 5_000, intervalMs: 20, message: 'gateway.gw-ghost reaped by the new lease holder' });
    expect(test.monitor.isLeader).toBe(true);
    expect(await xgroupCalls(admin, 'destroy')).toBe(CLIENT_FACING_STREAMS.length);
  });
});
