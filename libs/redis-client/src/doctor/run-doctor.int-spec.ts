import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, useRedis } from '@rebal/redis-testing';
import { STREAM_NAMES } from '../events/streams';
import type { DoctorReport } from './doctor-report';
import { runDoctor } from './run-doctor';

function check(report: DoctorReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

function uniquePrefix(): string {
  return `doctor-${randomUUID().slice(0, 8)}:`;
}

describe('runDoctor on a server configured as the design asks', () => {
  let client: Redis;
  // Declared before useRedis so that it runs before the server is disposed of.
  afterAll(() => client.quit());
  const redis = useRedis({ args: ['--maxmemory-policy', 'noeviction'] });
  beforeAll(() => {
    client = new Redis(redis.server.url);
  });

  it('reports ok with no failed check, and every platform stream', async () => {
    const report = await runDoctor({ redis: client, streamPrefix: uniquePrefix() });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.reachable).toBe(true);
    expect(check(report, 'persistence.appendonly').status).toBe('ok');
    expect(check(report, 'memory.policy').status).toBe('ok');
    expect(check(report, 'server.version').detail).toMatch(/^Redis 7\./);
    expect(report.streams).toHaveLength(STREAM_NAMES.length);
    expect(report.streams.every((s) => !s.exists && s.dlqLength === 0)).toBe(true);
    expect(report.target).toBe(`redis://${redis.server.nodes[0].host}:${redis.server.nodes[0].port}/0`);
  });

  it('shows the length, pending entries, lag and dead-letter size of a stream whose group is behind', async () => {
    const prefix = uniquePrefix();
    const stream = `${prefix}market_data`;
    for (let i = 0; i < 5; i += 1) await client.xadd(stream, '*', 'type', 'price_update', 'n', String(i));
    await client.xgroup('CREATE', stream, 'alert-service', '0');
    await client.xreadgroup('GROUP', 'alert-service', 'replica-1', 'COUNT', '2', 'STREAMS', stream, '>');
    await client.xadd(`${stream}:dlq`, '*', 'reason', 'schema', 'n', '1');
    await client.xadd(`${stream}:dlq`, '*', 'reason', 'schema', 'n', '2');
    await client.xadd(`${stream}:dlq`, '*', 'reason', 'schema', 'n', '3');
    const [first] = await client.xrange(stream, '-', '+', 'COUNT', 1);
    const [last] = await client.xrevrange(stream, '+', '-', 'COUNT', 1);

    const report = await runDoctor({ redis: client, streamPrefix: prefix, streams: ['market_data'], thresholds: { lagWarn: 2 } });

    expect(report.streams).toEqual([
      {
        stream,
        exists: true,
        length: 5,
        firstId: first[0],
        lastId: last[0],
        groups: [
          expect.objectContaining({ name: 'alert-service', consumers: 1, pending: 2, lag: 3, lastDeliveredId: expect.any(String) }),
        ],
        dlqLength: 3,
      },
    ]);
    const streamCheck = check(report, `stream.${stream}`);
    expect(streamCheck.status).toBe('warn');
    expect(streamCheck.detail).toContain('alert-service more than 2 entries behind');
    const dlq = check(report, 'streams.dlq');
    expect(dlq.status).toBe('warn');
    expect(dlq.detail).toBe(`${stream}:dlq holds 3 entries`);
    expect(dlq.fix).toContain(`redis-cli XRANGE ${stream}:dlq - + COUNT 10`);
    expect(report.ok).toBe(true);
  });

  it('fails a stream key that holds another type', async () => {
    const prefix = uniquePrefix();
    await client.set(`${prefix}alerts`, 'not a stream');
    const report = await runDoctor({ redis: client, streamPrefix: prefix, streams: ['alerts'] });
    expect(check(report, `stream.${prefix}alerts`).status).toBe('fail');
    expect(report.ok).toBe(false);
  });
});

describe('runDoctor on a server without AOF that evicts with allkeys-lru', () => {
  let client: Redis;
  afterAll(() => client.quit());
  const redis = useRedis({ args: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'] });
  beforeAll(() => {
    client = new Redis(redis.server.url);
  });

  it('fails the appendonly and eviction policy checks, each with its fix', async () => {
    const report = await runDoctor({ redis: client, streamPrefix: uniquePrefix() });
    expect(report.ok).toBe(false);
    const appendonly = check(report, 'persistence.appendonly');
    expect(appendonly.status).toBe('fail');
    expect(appendonly.detail).toContain('alerts and streams would be lost on restart');
    expect(appendonly.fix).toContain('CONFIG SET appendonly yes');
    const policy = check(report, 'memory.policy');
    expect(policy.status).toBe('fail');
    expect(policy.detail).toContain('allkeys-lru evicts alerts and streams');
    expect(policy.fix).toContain('CONFIG SET maxmemory-policy noeviction');
    expect(policy.fix).toContain('CACHE_REDIS_URL');
  });

  it('warns when memory use is above 80 % of maxmemory', async () => {
    const info = await client.info('memory');
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
    await client.config('SET', 'maxmemory', String(Math.ceil(used / 0.9)));
    try {
      const report = await runDoctor({ redis: client, streams: [] });
      expect(['warn', 'fail']).toContain(check(report, 'memory.usage').status);
      expect(check(report, 'memory.usage').detail).toMatch(/\(\d+ %\)/);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
  });
});

describe('runDoctor on a server that forbids CONFIG (as managed Redis does)', () => {
  let admin: Redis;
  let restricted: Redis;
  afterAll(() => Promise.all([restricted.quit(), admin.quit()]));
  const redis = useRedis({ args: ['--maxmemory-policy', 'noeviction'] });
  beforeAll(async () => {
    admin = new Redis(redis.server.url);
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>app-secret', '~*', '+@all', '-config');
    restricted = new Redis(redis.server.url.replace('redis://', 'redis://app:app-secret@'));
  });

  it('reads AOF and the eviction policy from INFO and only warns about appendfsync', async () => {
    const report = await runDoctor({ redis: restricted, streams: [] });
    expect(check(report, 'persistence.appendonly').status).toBe('ok');
    expect(check(report, 'memory.policy').status).toBe('ok');
    const fsync = check(report, 'persistence.appendfsync');
    expect(fsync.status).toBe('warn');
    expect(fsync.detail).toContain('NOPERM');
    expect(report.ok).toBe(true);
  });
});

describe('runDoctor on an unreachable Redis', () => {
  it('fails the PING check within the timeout and skips everything else', async () => {
    const port = await freePort();
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      const started = Date.now();
      const report = await runDoctor({ redis: client, timeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(report.reachable).toBe(false);
      expect(report.ok).toBe(false);
      expect(report.checks).toHaveLength(1);
      expect(report.checks[0]).toMatchObject({ id: 'connection.ping', status: 'fail' });
      expect(report.checks[0].fix).toContain(`redis-cli -u redis://127.0.0.1:${port}/0 ping`);
    } finally {
      client.disconnect();
    }
  });
});
