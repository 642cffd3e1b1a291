import { randomUUID } from 'node:crypto';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { connect } from '../test/monitor-harness';
import { RedisLease } from './redis-lease';

const redis = useRedis();

describe('RedisLease', () => {
  let conn: RedisConnection;
  beforeAll(async () => {
    conn = await connect(redis.server);
  });
  afterAll(() => conn?.disconnect());

  const lease = (key: string, owner: string, ttlMs = 300) => new RedisLease({ redis: conn, key, owner, ttlMs, registry: new Registry() });

  it('is held by one replica at a time, renewed by its holder and kept from others', async () => {
    const key = `lease:${randomUUID()}`;
    const a = lease(key, 'a');
    const b = lease(key, 'b');
    expect(await a.refresh()).toBe(true);
    expect(await b.refresh()).toBe(false);
    // Renewed past its first lifetime, it is still a's.
    for (let i = 0; i < 4; i++) {
      await waitFor(async () => (await conn.pttl(key)) < 200, { intervalMs: 10 });
      expect(await a.refresh()).toBe(true);
      expect(await b.refresh()).toBe(false);
    }
    expect(String(await conn.get(key))).toMatch(/^a:/);
  });

  it('is lost by a holder that did not renew in time, and released only by its holder', async () => {
    const key = `lease:${randomUUID()}`;
    const a = lease(key, 'a', 150);
    const b = lease(key, 'b', 5_000);
    expect(await a.refresh()).toBe(true);
    await waitFor(() => !a.held, { intervalMs: 10 });
    await waitFor(async () => b.refresh(), { intervalMs: 20 });
    // a's renewal finds b's token: refused, a knows it lost.
    expect(await a.refresh()).toBe(false);
    await a.release();
    expect(String(await conn.get(key))).toMatch(/^b:/);
    await b.release();
    expect(await conn.exists(key)).toBe(0);
    expect(await b.refresh()).toBe(false);
  });
});
