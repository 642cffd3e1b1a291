import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import type { HealthSnapshot } from './status';
import { findSamples, sampleValue, type PromFamily } from './test/prometheus-text';
import { connect, startTestMonitor, uniquePrefix, type TestMonitor } from './test/monitor-harness';

jest.setTimeout(20_000);

const redis = useRedis();

/** redis_exporter names this monitor promises to keep. */
const EXPORTER_NAMES = [
  'redis_up', 'redis_instance_info', 'redis_memory_used_bytes', 'redis_memory_max_bytes', 'redis_memory_used_peak_bytes',
  'redis_mem_fragmentation_ratio', 'redis_connected_clients', 'redis_blocked_clients', 'redis_commands_processed_total',
  'redis_keyspace_hits_total', 'redis_keyspace_misses_total', 'redis_evicted_keys_total', 'redis_expired_keys_total',
  'redis_rejected_connections_total', 'redis_aof_enabled', 'redis_rdb_last_save_timestamp_seconds', 'redis_db_keys',
  'redis_stream_length', 'redis_stream_groups', 'redis_stream_first_entry_id', 'redis_stream_last_generated_id',
  'redis_stream_group_messages_pending', 'redis_stream_group_lag',
  'redis_stream_group_consumers', 'redis_stream_group_consumer_messages_pending', 'redis_stream_group_consumer_idle_seconds',
];

describe('health monitor metrics', () => {
  let admin: RedisConnection;
  let prefix: string;
  let test: TestMonitor;

  beforeAll(async () => {
    admin = await connect(redis.server);
    prefix = uniquePrefix();
    test = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: prefix, HEALTH_LAG_THRESHOLD: '10' });
  });

  afterAll(async () => {
    await test?.close();
    admin?.disconnect();
  });

  /** Scrapes until `probe` accepts the parsed metrics; every scrape must parse strictly. */
  async function scrapeUntil(probe: (families: PromFamily[]) => boolean, what: string): Promise<PromFamily[]> {
    let last: PromFamily[] = [];
    return waitFor(
      async () => {
        last = await test.metrics();
        return probe(last) ? last : undefined;
      },
      { timeoutMs: 8_000, message: () => `${what}; last scrape: ${JSON.stringify(last.filter((f) => f.name.startsWith('redis_stream')).map((f) => f.samples))}` },
    );
  }

  it('serves valid Prometheus text with the redis_exporter names, from a real Redis', async () => {
    const stream = `${prefix}market_data`;
    await admin.xgroup('CREATE', stream, 'probe', '$', 'MKSTREAM');
    // Redis 7.0 creates a consumer only when XREADGROUP delivers something.
    await admin.xadd(stream, '*', 'n', '1');
    await admin.call('XREADGROUP', 'GROUP', 'probe', 'probe-1', 'COUNT', '1', 'STREAMS', stream, '>');
    const families = await scrapeUntil((f) => sampleValue(f, 'redis_stream_group_consumers', { stream, group: 'probe' }) === 1, 'the probe group shows up');
    const names = new Set(families.map((family) => family.name));
    expect(EXPORTER_NAMES.filter((name) => !names.has(name))).toEqual([]);
    const node = findSamples(families, 'redis_up')[0]?.labels['node'];
    expect(node).toBe(`127.0.0.1:${redis.server.nodes[0]?.port}`);
    expect(sampleValue(families, 'redis_up', { node })).toBe(1);
    expect(findSamples(families, 'redis_instance_info')[0]?.labels).toMatchObject({ redis_version: expect.stringMatching(/^\d+\.\d+/), role: 'master', maxmemory_policy: 'noeviction' });
    expect(sampleValue(families, 'redis_aof_enabled', { node })).toBe(1);
    expect(families.find((f) => f.name === 'redis_commands_processed_total')?.type).toBe('counter');
    expect(sampleValue(families, 'rebal_health_status', { scope: 'system' })).toBe(0);
    expect(families.find((f) => f.name === 'process_cpu_user_seconds_total')).toBeDefined();
  });

  it('follows keys being added', async () => {
    const keysOf = (f: PromFamily[]) => sampleValue(f, 'redis_db_keys', { db: 'db0' }) ?? 0;
    const before = keysOf(await test.metrics());
    await Promise.all(Array.from({ length: 40 }, (_, i) => admin.set(`${prefix}key:${i}`, 'v')));
    const after = await scrapeUntil((f) => keysOf(f) >= before + 40, 'redis_db_keys grows by 40');
    expect(keysOf(after)).toBeGreaterThanOrEqual(before + 40);
  });

  it('follows a group falling behind and its pending entries, and reports it as degraded above the lag threshold', async () => {
    const stream = `${prefix}alerts`;
    await admin.xgroup('CREATE', stream, 'slow', '$', 'MKSTREAM');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(String(await admin.xadd(stream, '*', 'n', String(i))));
    const ms = (id: string | undefined) => Number(id?.split('-')[0]);
    const labels = { stream, group: 'slow' };
    let families = await scrapeUntil((f) => sampleValue(f, 'redis_stream_group_lag', labels) === 20, 'lag 20');
    expect(sampleValue(families, 'redis_stream_length', { stream })).toBe(20);
    expect(sampleValue(families, 'redis_stream_group_messages_pending', labels)).toBe(0);

    await admin.call('XREADGROUP', 'GROUP', 'slow', 'worker-1', 'COUNT', '7', 'STREAMS', stream, '>');
    families = await scrapeUntil((f) => sampleValue(f, 'redis_stream_group_lag', labels) === 13, 'lag 13 after 7 reads');
    expect(sampleValue(families, 'redis_stream_group_messages_pending', labels)).toBe(7);
    expect(sampleValue(families, 'redis_stream_group_consumer_messages_pending', { ...labels, consumer: 'worker-1' })).toBe(7);
    // Ids as redis_exporter exports them: their millisecond part.
    expect(sampleValue(families, 'redis_stream_first_entry_id', { stream })).toBe(ms(ids[0]));
    expect(sampleValue(families, 'redis_stream_last_generated_id', { stream })).toBe(ms(ids[19]));
    expect(sampleValue(families, 'redis_stream_group_last_delivered_id', labels)).toBe(ms(ids[6]));

    const status = (await (await test.get('/api/v1/status')).json()) as HealthSnapshot;
    const report = status.streams.find((s) => s.key === stream);
    expect(report).toMatchObject({ length: 20, firstId: ids[0], lastGeneratedId: ids[19] });
    const group = report?.groups.find((g) => g.name === 'slow');
    expect(group).toMatchObject({ lag: 13, pending: 7, lastDeliveredId: ids[6], consumers: [expect.objectContaining({ name: 'worker-1', pending: 7 })] });
    expect(status.status).toBe('degraded');
    expect(status.reasons).toContainEqual(expect.objectContaining({ code: 'group_lag', subject: `${stream}/slow` }));
    expect(sampleValue(families, 'rebal_health_reasons', { code: 'group_lag', status: 'degraded' })).toBe(1);
  });

  it('exports the id Redis last generated as redis_stream_last_generated_id, also once that entry was deleted', async () => {
    const stream = `${prefix}market_data`;
    const base = Date.now() + 60_000;
    // Explicit ids far apart, so their millisecond parts tell them apart.
    const kept = String(await admin.xadd(stream, `${base}-0`, 'n', 'kept'));
    const deleted = String(await admin.xadd(stream, `${base + 5_000}-0`, 'n', 'deleted'));
    await admin.xdel(stream, deleted);
    const families = await scrapeUntil((f) => sampleValue(f, 'redis_stream_last_generated_id', { stream }) === base + 5_000, 'the last generated id');
    expect(families.find((f) => f.name === 'redis_stream_last_entry_id')).toBeUndefined();
    const status = (await (await test.get('/api/v1/status')).json()) as HealthSnapshot;
    const report = status.streams.find((s) => s.key === stream);
    expect(report?.lastGeneratedId).toBe(deleted);
    expect(report?.length).toBe(await admin.xlen(stream));
    expect(String((await admin.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0])).toBe(kept);
  });

  it('follows a consumer going idle', async () => {
    const stream = `${prefix}portfolio_updates`;
    await admin.xgroup('CREATE', stream, 'idle-group', '$', 'MKSTREAM');
    await admin.xadd(stream, '*', 'n', '1');
    await admin.call('XREADGROUP', 'GROUP', 'idle-group', 'sleeper', 'COUNT', '1', 'STREAMS', stream, '>');
    const labels = { stream, group: 'idle-group', consumer: 'sleeper' };
    const first = await scrapeUntil((f) => sampleValue(f, 'redis_stream_group_consumer_idle_seconds', labels) !== undefined, 'the sleeper shows up');
    const idle = sampleValue(first, 'redis_stream_group_consumer_idle_seconds', labels) ?? 0;
    const later = await scrapeUntil((f) => (sampleValue(f, 'redis_stream_group_consumer_idle_seconds', labels) ?? 0) >= idle + 0.5, 'idle time grows');
    expect(sampleValue(later, 'redis_stream_group_consumer_idle_seconds', labels)).toBeGreaterThanOrEqual(idle + 0.5);
    // A new delivery resets it (Redis 7.0 counts idle time from the last delivery).
    await admin.xadd(stream, '*', 'n', '2');
    await admin.call('XREADGROUP', 'GROUP', 'idle-group', 'sleeper', 'COUNT', '1', 'STREAMS', stream, '>');
    await scrapeUntil((f) => (sampleValue(f, 'redis_stream_group_consumer_idle_seconds', labels) ?? Infinity) < 0.5, 'idle time resets after a read');
  });

  it('reports dead-letter stream sizes and serves the snapshot as JSON', async () => {
    const dlq = `${prefix}market_data:dlq`;
    await admin.xadd(dlq, '*', 'dlq_error', 'bad');
    await admin.xadd(dlq, '*', 'dlq_error', 'bad');
    await scrapeUntil((f) => sampleValue(f, 'redis_stream_length', { stream: dlq }) === 2, 'the DLQ length');
    const response = await test.get('/api/v1/status');
    expect(response.status).toBe(200);
    const snapshot = (await response.json()) as HealthSnapshot;
    expect(snapshot.streams.find((s) => s.key === `${prefix}market_data`)?.dlq).toEqual({ key: dlq, length: 2 });
    expect(snapshot.redis.nodes[0]?.info?.memory.usedBytes).toBeGreaterThan(0);
    expect(snapshot.redis.nodes[0]?.latencyMs).toBeGreaterThan(0);
    // The limits it judged by, for the console's warning colours.
    expect(snapshot.thresholds).toEqual({ maxLag: 10, pendingGrowthChecks: 5, memoryShare: 0.8 });
  });

  it('stores the latest snapshot in the cache with a TTL, rewritten at every check, for other instances to read', async () => {
    const key = `cache:health:${prefix}latest`;
    const read = async () => JSON.parse(String(await admin.get(key))) as HealthSnapshot;
    const first = await read();
    expect(first.monitor).toMatchObject({ instance: test.monitor.latest()?.monitor.instance, leader: true });
    expect(first.redis.nodes[0]?.reachable).toBe(true);
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await waitFor(async () => (await read()).checkedAt > first.checkedAt, { message: 'the cached snapshot is rewritten by a later check' });
  });

  it('keeps the cached snapshot of each deployment apart when two prefixes share one Redis', async () => {
    const otherPrefix = uniquePrefix();
    const other = await startTestMonitor(redis.server, { REDIS_STREAM_PREFIX: otherPrefix });
    try {
      const read = async (p: string) => {
        const json = await admin.get(`cache:health:${p}latest`);
        return json === null ? undefined : (JSON.parse(json) as HealthSnapshot);
      };
      const theirs = await waitFor(() => read(otherPrefix), { message: 'the other deployment caches its snapshot' });
      expect(theirs.monitor.instance).toBe(other.monitor.latest()?.monitor.instance);
      expect(theirs.streams.map((s) => s.key)).toContain(`${otherPrefix}market_data`);
      // Both monitors keep writing; each key keeps holding its own deployment's snapshot.
      const before = await read(prefix);
      await waitFor(async () => ((await read(prefix))?.checkedAt ?? '') > (before?.checkedAt ?? ''), { message: 'this deployment rewrites its snapshot' });
      await waitFor(async () => ((await read(otherPrefix))?.checkedAt ?? '') > theirs.checkedAt, { message: 'the other deployment rewrites its snapshot' });
      const ours = await read(prefix);
      expect(ours?.monitor.instance).toBe(test.monitor.latest()?.monitor.instance);
      expect(ours?.streams.map((s) => s.key)).toContain(`${prefix}market_data`);
      expect((await read(otherPrefix))?.monitor.instance).toBe(theirs.monitor.instance);
      expect(await admin.exists('cache:health:latest')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('follows maxmemory and the eviction policy changed on the running server, and reports an evicting policy as degraded', async () => {
    const node = `127.0.0.1:${redis.server.nodes[0]?.port}`;
    await admin.config('SET', 'maxmemory', '1gb');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const families = await scrapeUntil((f) => findSamples(f, 'redis_instance_info')[0]?.labels['maxmemory_policy'] === 'allkeys-lru', 'the new policy');
      expect(sampleValue(families, 'redis_memory_max_bytes', { node })).toBe(1024 ** 3);
      expect(sampleValue(families, 'redis_memory_used_peak_bytes', { node })).toBeGreaterThanOrEqual(sampleValue(families, 'redis_memory_used_bytes', { node }) ?? Infinity);
      expect(sampleValue(families, 'redis_mem_fragmentation_ratio', { node })).toBeGreaterThan(0);
      expect(sampleValue(families, 'rebal_health_reasons', { code: 'eviction_policy', status: 'degraded' })).toBe(1);
      expect(sampleValue(families, 'rebal_health_reasons', { code: 'memory_high', status: 'degraded' })).toBeUndefined();
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', '0');
    }
    const restored = await scrapeUntil((f) => sampleValue(f, 'rebal_health_reasons', { code: 'eviction_policy', status: 'degraded' }) === undefined, 'the policy restored');
    expect(sampleValue(restored, 'redis_memory_max_bytes', { node })).toBe(0);
  });
});
