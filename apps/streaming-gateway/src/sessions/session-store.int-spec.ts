import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { SessionRecorder, type SessionSnapshot } from './session-recorder';
import { sessionKey } from './session-record';
import { SessionStore } from './session-store';

describe('SessionStore and SessionRecorder', () => {
  const prefix = uniquePrefix();
  let redis: RedisConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  const record = { subject: 'user-1', channels: ['alerts'], positions: { alerts: '5-0' } };

  it('stores a session with its TTL and loads it back', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    expect(await store.save('session-a', 'conn-1', record, true)).toBe(true);
    expect(await store.load('session-a')).toEqual(record);
    const ttl = await redis.pttl(sessionKey('session-a', prefix));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.load('session-unknown')).toBeUndefined();
  });

  it('lets a newer connection take a session over, after which the older one cannot write', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    await store.save('session-b', 'old', record, true);
    expect(await store.save('session-b', 'new', { ...record, positions: { alerts: '9-0' } }, true)).toBe(true);
    expect(await store.save('session-b', 'old', { ...record, positions: { alerts: '7-0' } }, false)).toBe(false);
    expect((await store.load('session-b'))?.positions).toEqual({ alerts: '9-0' });
  });

  it('expires a session after its TTL', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 50 });
    await store.save('session-c', 'conn', record, true);
    await waitFor(async () => (await store.load('session-c')) === undefined);
  });

  it('records positions one interval late and only once they left the send buffer', async () => {
    const store = new SessionStore({ redis: redis, keyPrefix: prefix, ttlMs: 60_000 });
    let snapshot: SessionSnapshot = { channels: ['alerts'], positions: { alerts: '1-0' } };
    let flushed = false;
    let ticks = 0;
    const recorder = new SessionRecorder({
      store,
      sessionId: 'session-d',
      owner: 'conn',
      subject: 'user-1',
      intervalMs: 20,
      snapshot: () => {
        ticks++;
        return snapshot;
      },
      flushed: () => flushed,
    });
    await store.save('session-d', 'conn', { subject: 'user-1', channels: [], positions: {} }, true);
    recorder.start();
    // Not flushed: the channel is recorded, its position is not.
    await waitFor(async () => (await store.load('session-d'))?.channels.length === 1);
    expect((await store.load('session-d'))?.positions).toEqual({});
    flushed = true;
    await waitFor(async () => (await store.load('session-d'))?.positions['alerts'] === '1-0');
    // A later position shows up only after a further interval, never before it was flushed.
    flushed = false;
    snapshot = { channels: ['alerts'], positions: { alerts: '2-0' } };
    const seen = ticks;
    await waitFor(() => ticks > seen + 5);
    expect((await store.load('session-d'))?.positions).toEqual({ alerts: '1-0' });
    flushed = true;
    await waitFor(async () => (await store.load('session-d'))?.positions['alerts'] === '2-0');
    await recorder.stop();
  });
});
