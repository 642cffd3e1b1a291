import { randomUUID } from 'node:crypto';
import { useRedis } from '@rebal/redis-testing';
import type { HeartbeatData, RedisConnection } from '@rebal/redis-client';
import { connect } from '../test/monitor-harness';
import { HeartbeatRegistry } from './heartbeat-registry';

const redis = useRedis();

const beat = (instance: string, uptimeSeconds: number): HeartbeatData => ({
  service: 'svc', instance, version: '1', startedAt: '2024-01-01T00:00:00.000Z', uptimeSeconds, status: 'healthy',
});

describe('HeartbeatRegistry', () => {
  let conn: RedisConnection;
  beforeAll(async () => {
    conn = await connect(redis.server);
  });
  afterAll(() => conn?.disconnect());

  it('keeps the newest heartbeat per instance whatever order they arrive in, with a TTL on the hash', async () => {
    const key = `registry:${randomUUID()}`;
    const registry = new HeartbeatRegistry({ redis: conn, key, ttlMs: 60_000 });
    expect(await registry.record(beat('a', 20), 2_000)).toBe(true);
    expect(await registry.record(beat('a', 10), 1_000)).toBe(false);
    expect(await registry.record(beat('b', 5), 1_500)).toBe(true);
    const records = (await registry.readAll()).sort((x, y) => x.instance.localeCompare(y.instance));
    expect(records.map((r) => [r.instance, r.uptimeSeconds, r.lastSeenMs])).toEqual([['a', 20, 2_000], ['b', 5, 1_500]]);
    expect(await conn.pttl(key)).toBeGreaterThan(50_000);
  });

  it('forgets an instance only if no newer heartbeat arrived meanwhile', async () => {
    const registry = new HeartbeatRegistry({ redis: conn, key: `registry:${randomUUID()}`, ttlMs: 60_000 });
    await registry.record(beat('a', 1), 1_000);
    await registry.record(beat('a', 2), 3_000);
    expect(await registry.forget({ service: 'svc', instance: 'a', lastSeenMs: 1_000 })).toBe(false);
    expect(await registry.forget({ service: 'svc', instance: 'a', lastSeenMs: 3_000 })).toBe(true);
    expect(await registry.readAll()).toEqual([]);
  });
});
