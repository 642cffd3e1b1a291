import { startRedis, useRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import Redis, { Cluster } from 'ioredis';
import type { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { Cache } from './cache';
import { CacheValueError } from './cache-errors';

let sequence = 0;
/** A namespace no other test (or earlier run against the same server) uses. */
const uniqueNamespace = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

/** A promise the test resolves when it chooses, so loaders finish exactly when the test says. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

async function counterValue(registry: Registry, name: string, namespace: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((value) => value.labels['namespace'] === namespace)?.value ?? 0;
}

describe('Cache', () => {
  const connections: Redis[] = [];
  // Registered before useRedis so it runs first: connections quit while the server still answers.
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  });
  const redis = useRedis({ appendonly: false });

  /** A connection as a service would have one: fails fast instead of queueing forever. */
  function connect(): Redis {
    const connection = new Redis(redis.server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    connections.push(connection);
    return connection;
  }

  describe('TTL', () => {
    it('stores a JSON value with its TTL and forgets it once the TTL runs out', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('ttl');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry() });

      await cache.set('short', { price: 42.5, symbols: ['BTC'] }, 1);

      expect(await cache.get('short')).toEqual({ price: 42.5, symbols: ['BTC'] });
      const pttl = await probe.pttl(`cache:${namespace}:short`);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(1000);
      await waitFor(async () => (await probe.exists(`cache:${namespace}:short`)) === 0, { timeoutMs: 5000 });
      expect(await cache.get('short')).toBeUndefined();
    });

    it('gives every key it writes a TTL, the default one included, and leaves no lock behind', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('every-ttl');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry() });

      await cache.set('default-ttl', 'a');
      await cache.set('own-ttl', 'b', 60);
      await cache.wrap('wrapped', 30, async () => 'c');
      await cache.set('removed', 'd', 60);
      await cache.del('removed');

      const keys = (await probe.keys(`cache*:${namespace}:*`)).sort();
      expect(keys).toEqual([`cache:${namespace}:default-ttl`, `cache:${namespace}:own-ttl`, `cache:${namespace}:wrapped`]);
      const ttls = await Promise.all(keys.map((key) => probe.pttl(key)));
      expect(ttls[0]).toBeGreaterThan(299_000);
      expect(ttls[0]).toBeLessThanOrEqual(300_000);
      expect(ttls[1]).toBeGreaterThan(59_000);
      expect(ttls[2]).toBeGreaterThan(29_000);
      expect(ttls[2]).toBeLessThanOrEqual(30_000);
    });

    it('refuses to store undefined with a typed error and writes nothing', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('undefined');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry() });

      await expect(cache.set('nothing', undefined)).rejects.toBeInstanceOf(CacheValueError);
      await expect(cache.wrap('nothing', 10, async () => undefined)).rejects.toMatchObject({ code: 'ERR_CACHE_VALUE' });
      expect(await probe.keys(`cache*:${namespace}:*`)).toEqual([]);
    });
  });

  describe('wrap', () => {
    it('calls the loader once for 50 concurrent misses in one cache', async () => {
      const namespace = uniqueNamespace('single-flight');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry() });
      const release = gate<{ total: number }>();
      let loads = 0;
      const loader = () => {
        loads += 1;
        return release.promise;
      };

      const calls = Array.from({ length: 50 }, () => cache.wrap('portfolio:1', 60, loader));
      await waitFor(() => loads === 1);
      release.open({ total: 1234 });

      expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, () => ({ total: 1234 })));
      expect(loads).toBe(1);
      expect(await cache.wrap('portfolio:1', 60, loader)).toEqual({ total: 1234 });
      expect(loads).toBe(1);
    });

    it('calls the loader once across two processes hit by 25 calls each', async () => {
      const namespace = uniqueNamespace('two-processes');
      const registry = new Registry();
      const first = new Cache({ redis: connect(), namespace, registry });
      const second = new Cache({ redis: connect(), namespace, registry });
      const release = gate<string>();
      let loads = 0;
      const loader = () => {
        loads += 1;
        return release.promise;
      };

      const calls: Promise<string>[] = [];
      for (let i = 0; i < 25; i++) calls.push(first.wrap('risk', 60, loader), second.wrap('risk', 60, loader));
      // One process holds the lock and loads; wait until the other one is polling for its value.
      await waitFor(async () => (await counterValue(registry, 'rebal_cache_lock_waits_total', namespace)) >= 1, {
        timeoutMs: 5000,
        message: 'neither cache waited for the other one',
      });
      expect(loads).toBe(1);
      release.open('var_95=0.12');

      expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, () => 'var_95=0.12'));
      expect(loads).toBe(1);
      expect(await counterValue(registry, 'rebal_cache_loads_total', namespace)).toBe(1);
    }, 15_000);

    it('lets one waiter load once the lock of a holder that died expires', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('dead-holder');
      const registry = new Registry();
      const lockKey = `cache-lock:${namespace}:quote`;
      // A holder that took the lock and died before storing the value.
      expect(await probe.set(lockKey, 'dead-holder-token', 'PX', 700, 'NX')).toBe('OK');
      const first = new Cache({ redis: connect(), namespace, registry });
      const second = new Cache({ redis: connect(), namespace, registry });
      const locksSeenByLoader: Array<string | null> = [];
      let loads = 0;
      const loader = async () => {
        loads += 1;
        locksSeenByLoader.push(await probe.get(lockKey));
        return 'fresh';
      };

      const calls: Promise<string>[] = [];
      for (let i = 0; i < 5; i++) calls.push(first.wrap('quote', 60, loader), second.wrap('quote', 60, loader));

      expect(await Promise.all(calls)).toEqual(Array.from({ length: 10 }, () => 'fresh'));
      expect(loads).toBe(1);
      // The loader ran under a new holder's lock, not while the dead one still held it.
      expect(locksSeenByLoader).toHaveLength(1);
      expect(locksSeenByLoader[0]).not.toBe('dead-holder-token');
      expect(locksSeenByLoader[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(await counterValue(registry, 'rebal_cache_lock_waits_total', namespace)).toBe(2);
      expect(await probe.exists(lockKey)).toBe(0);
    }, 15_000);

    it('stops waiting after lockWaitMs and loads itself when the holder is too slow', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('slow-holder');
      const lockKey = `cache-lock:${namespace}:slow`;
      expect(await probe.set(lockKey, 'slow-holder-token', 'PX', 30_000, 'NX')).toBe('OK');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry(), lockWaitMs: 300 });
      let loads = 0;
      const started = Date.now();

      const values = await Promise.all([1, 2, 3].map(() => cache.wrap('slow', 60, async () => ++loads)));

      expect(values).toEqual([1, 1, 1]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      // The slow holder's lock is left alone; the value is stored for everyone else.
      expect(await probe.get(lockKey)).toBe('slow-holder-token');
      expect(await probe.get(`cache:${namespace}:slow`)).toBe('1');
      await probe.del(lockKey);
    });

    it('passes a loader error to every caller of the process and caches nothing', async () => {
      const probe = connect();
      const namespace = uniqueNamespace('loader-error');
      const cache = new Cache({ redis: connect(), namespace, registry: new Registry() });
      let loads = 0;
      const failing = async (): Promise<string> => {
        loads += 1;
        throw new Error('pricing backend down');
      };

      const results = await Promise.allSettled(Array.from({ length: 10 }, () => cache.wrap('price', 60, failing)));

      expect(results.every((result) => result.status === 'rejected' && result.reason.message === 'pricing backend down')).toBe(true);
      expect(loads).toBe(1);
      expect(await probe.keys(`cache*:${namespace}:*`)).toEqual([]);
      expect(await cache.wrap('price', 60, async () => 'recovered')).toBe('recovered');
    });
  });

  describe('close', () => {
    it('is idempotent and makes later calls fail with CacheClosedError', async () => {
      const cache = new Cache({ redis: connect(), namespace: uniqueNamespace('closed'), registry: new Registry() });
      await cache.set('k', 1, 60);

      await cache.close();
      await cache.close();

      await expect(cache.get('k')).rejects.toMatchObject({ code: 'ERR_CACHE_CLOSED' });
      await expect(cache.set('k', 2)).rejects.toMatchObject({ code: 'ERR_CACHE_CLOSED' });
      await expect(cache.wrap('k', 60, async () => 3)).rejects.toMatchObject({ code: 'ERR_CACHE_CLOSED' });
    });
  });

  describe('metrics', () => {
    it('counts hits and misses per namespace on the registry it is given', async () => {
      const namespace = uniqueNamespace('counters');
      const registry = new Registry();
      const cache = new Cache({ redis: connect(), namespace, registry });

      expect(await cache.get('absent')).toBeUndefined();
      await cache.set('present', 1, 60);
      expect(await cache.get('present')).toBe(1);
      expect(await cache.wrap('present', 60, async () => 2)).toBe(1);
      await cache.wrap('loaded', 60, async () => 3);

      expect(await counterValue(registry, 'rebal_cache_hits_total', namespace)).toBe(2);
      expect(await counterValue(registry, 'rebal_cache_misses_total', namespace)).toBe(2);
      expect(await counterValue(registry, 'rebal_cache_loads_total', namespace)).toBe(1);
      expect(await counterValue(registry, 'rebal_cache_errors_total', namespace)).toBe(0);
      expect(await counterValue(registry, 'rebal_cache_fallback_reads_total', namespace)).toBe(0);
    });
  });

  describe('hot path', () => {
    it('reads with one GET and no TTL lookup, and sends the commands of one tick in one socket write', async () => {
      const probe = connect();
      const connection = connect();
      const namespace = uniqueNamespace('one-write');
      const cache = new Cache({ redis: connection, namespace, registry: new Registry() });
      await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(`k${i}`, { i }, 60)));
      await connection.ping();
      const socket = connection.stream as Writable & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
      const writes = { single: 0, batched: 0 };
      const write = socket._write.bind(socket);
      const writev = socket._writev?.bind(socket);
      socket._write = (...args) => {
        writes.single += 1;
        write(...args);
      };
      socket._writev = (...args) => {
        writes.batched += 1;
        writev?.(...args);
      };
      const before = await commandCalls(probe, ['get', 'pttl', 'evalsha', 'eval']);
      try {
        const values = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.get(`k${i}`)));
        expect(values).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })));
      } finally {
        socket._write = write;
        socket._writev = writev;
      }
      expect(writes).toEqual({ single: 0, batched: 1 });
      const after = await commandCalls(probe, ['get', 'pttl', 'evalsha', 'eval']);
      expect({ get: after.get - before.get, pttl: after.pttl - before.pttl, evalsha: after.evalsha - before.evalsha, eval: after.eval - before.eval })
        .toEqual({ get: 20, pttl: 0, evalsha: 0, eval: 0 });
    });

    it('serves a value it only read from the fallback for at most FALLBACK_READ_TTL_MS, or defaultTtlSeconds when shorter', async () => {
      const probe = connect();
      const connection = connect();
      const namespace = uniqueNamespace('read-bound');
      let ready = true;
      const cache = new Cache({ redis: connection, namespace, registry: new Registry(), defaultTtlSeconds: 1, isRedisReady: () => ready });
      await probe.set(`cache:${namespace}:elsewhere`, JSON.stringify('from another process'), 'EX', 600);
      expect(await cache.get('elsewhere')).toBe('from another process');
      ready = false;
      expect(await cache.get('elsewhere')).toBe('from another process');
      await waitFor(async () => (await cache.get('elsewhere')) === undefined, { timeoutMs: 3000, message: 'the read copy outlived defaultTtlSeconds' });
    });
  });

  describe('on a Cluster', () => {
    let cluster: RedisTestServer;
    beforeAll(async () => {
      cluster = await startRedis({ mode: 'cluster' });
    }, 60_000);
    afterAll(() => cluster?.dispose());

    it('gets, sets, deletes and wraps keys on every node', async () => {
      const nodes = cluster.env['REDIS_CLUSTER_NODES'].split(',').map((hostPort) => {
        const [host, port] = hostPort.split(':');
        return { host, port: Number(port) };
      });
      const connection = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
      try {
        const cache = new Cache({ redis: connection, namespace: uniqueNamespace('cluster'), registry: new Registry() });
        const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
        await Promise.all(keys.map((key, i) => cache.set(key, { i }, 60)));
        expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((_, i) => ({ i })));
        await Promise.all(keys.slice(0, 10).map((key) => cache.del(key)));
        expect(await Promise.all(keys.slice(0, 12).map((key) => cache.get(key)))).toEqual([...Array(10).fill(undefined), { i: 10 }, { i: 11 }]);
        expect(await cache.wrap('key-0', 60, async () => 'loaded')).toBe('loaded');
        expect(cache.isDegraded).toBe(false);
      } finally {
        await connection.quit().catch(() => connection.disconnect());
      }
    }, 30_000);
  });
});

/** Calls of each command Redis executed so far (INFO commandstats). */
async function commandCalls(redis: Redis, names: readonly string[]): Promise<Record<string, number>> {
  const stats = await redis.info('commandstats');
  return Object.fromEntries(names.map((name) => [name, Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0)]));
}
