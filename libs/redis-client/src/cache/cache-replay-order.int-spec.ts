import { useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { Cache } from './cache';

let sequence = 0;
/** A namespace no other test uses. */
const uniqueNamespace = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

/**
 * A write that times out because Redis hangs (SIGSTOP) is still on the wire: Redis runs it
 * when it wakes up, before any later command of the connection. The cache keeps it for replay
 * too. A later write of the same key, sent before the first timed out, then reaches Redis:
 * per key the last write issued must win, so the older pending write must never be replayed
 * over it.
 */
describe('Cache replay after a Redis that hung', () => {
  const connections: Redis[] = [];
  const redis = useRedis();
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  });
  const connect = (): Redis => {
    const connection = new Redis(redis.server.url, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    return connection;
  };
  const pid = (): number => {
    const value = redis.server.processes[0]?.pid;
    if (value === undefined) throw new Error('no redis-server process to pause');
    return value;
  };

  const TIMEOUT_MS = 800;
  /** How much later the second write is issued: well after the first, well before the first times out. */
  const LATER_MS = TIMEOUT_MS / 2;

  /**
   * Pauses Redis, sends `first`, sends `second` LATER_MS later, waits for `first` to time out
   * (it is then pending for replay), wakes Redis up and waits for `second` to land.
   */
  async function raceAcrossTimeout(cache: Cache, first: () => Promise<void>, second: () => Promise<void>): Promise<void> {
    process.kill(pid(), 'SIGSTOP');
    try {
      const firstDone = first();
      // The second write is a later call by design (the scenario, not a wait for an effect).
      await delay(LATER_MS);
      const secondDone = second();
      await firstDone;
      expect(cache.pendingWrites).toBe(1);
      process.kill(pid(), 'SIGCONT');
      await secondDone;
    } finally {
      process.kill(pid(), 'SIGCONT');
    }
  }

  it('issue 11 item 22: a set that timed out is not replayed over a later set of the same key', async () => {
    const probe = connect();
    const namespace = uniqueNamespace('replay-set');
    const cache = new Cache({ redis: connect(), namespace, registry: new Registry(), commandTimeoutMs: TIMEOUT_MS });
    await cache.set('price', 'warm-up', 60);
    await raceAcrossTimeout(cache, () => cache.set('price', 'older', 60), () => cache.set('price', 'newer', 60));
    expect(await cache.get('price')).toBe('newer');
    await waitFor(() => cache.pendingWrites === 0, { message: 'nothing left to replay' });
    expect(JSON.parse((await probe.get(`cache:${namespace}:price`)) ?? 'null')).toBe('newer');
    await cache.close();
  }, 30_000);

  it('issue 11 item 22: a set that timed out does not bring back a key deleted after it', async () => {
    const probe = connect();
    const namespace = uniqueNamespace('replay-del');
    const cache = new Cache({ redis: connect(), namespace, registry: new Registry(), commandTimeoutMs: TIMEOUT_MS });
    await cache.set('price', 'warm-up', 60);
    await raceAcrossTimeout(cache, () => cache.set('price', 'older', 60), () => cache.del('price'));
    expect(await cache.get('price')).toBeUndefined();
    await waitFor(() => cache.pendingWrites === 0, { message: 'nothing left to replay' });
    expect(await probe.exists(`cache:${namespace}:price`)).toBe(0);
    await cache.close();
  }, 30_000);
});
