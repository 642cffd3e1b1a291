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

  it('allows a duty to write only while at least a third of the lifetime is left, on its own clock', async () => {
    const key = `lease:${randomUUID()}`;
    let offsetMs = 0;
    const a = new RedisLease({ redis: conn, key, owner: 'a', ttlMs: 3_000, registry: new Registry(), now: () => Date.now() + offsetMs });
    expect(() => a.assertHeld()).toThrow(expect.objectContaining({ code: 'ERR_LEASE_LOST' }));
    expect(await a.refresh()).toBe(true);
    expect(() => a.assertHeld()).not.toThrow();
    // A stall that leaves less than a third: still held, but no more writes.
    offsetMs += 2_100;
    expect(a.held).toBe(true);
    expect(() => a.assertHeld()).toThrow(expect.objectContaining({ code: 'ERR_LEASE_LOST', key }));
    expect(await a.refresh()).toBe(true);
    expect(() => a.assertHeld()).not.toThrow();
    await a.release();
    expect(() => a.assertHeld()).toThrow(expect.objectContaining({ code: 'ERR_LEASE_LOST' }));
  });

  it('issue 11 review: a backward step of the wall clock does not stretch the lease past its lifetime in Redis', async () => {
    const realNow = Date.now.bind(Date);
    let stepMs = 0;
    const wallClock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + stepMs);
    try {
      const key = `lease:${randomUUID()}`;
      const a = lease(key, 'a', 200);
      expect(await a.refresh()).toBe(true);
      // NTP steps the clock back 10 s: the lease must still end when Redis's key does.
      stepMs = -10_000;
      const stepped = performance.now();
      await waitFor(() => !a.held, { timeoutMs: 2_000, intervalMs: 10, message: 'the lease ended' });
      expect(performance.now() - stepped).toBeLessThan(1_000);
    } finally {
      wallClock.mockRestore();
    }
  });
});
