import { useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { Cache } from './cache';

let sequence = 0;
/** A namespace no other test uses. */
const uniqueNamespace = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

async function counterValue(registry: Registry, name: string, namespace: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((value) => value.labels['namespace'] === namespace)?.value ?? 0;
}

/** A pino logger whose lines the test can read. */
function capturingLogger(): { logger: pino.Logger; messages: () => string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { logger, messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

describe('Cache while Redis is unreachable', () => {
  const connections: Redis[] = [];
  // Registered before useRedis so it runs first: connections quit while the server still answers.
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  });
  // AOF on: what Redis held before it stopped is still there when it starts again.
  const redis = useRedis({ appendonly: true });

  function connect(): Redis {
    const connection = new Redis(redis.server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    connections.push(connection);
    return connection;
  }

  /** Stops Redis for the duration of `during`, and always starts it again. */
  async function withRedisStopped(connection: Redis, during: () => Promise<void>): Promise<void> {
    await redis.server.stop();
    try {
      await waitFor(() => connection.status !== 'ready', { message: 'the connection never noticed Redis stopped' });
      await during();
    } finally {
      await redis.server.start();
    }
  }

  it('serves the LRU, keeps writes and wrap working, and converges once Redis is back', async () => {
    const probe = connect();
    const connection = connect();
    const namespace = uniqueNamespace('outage');
    const registry = new Registry();
    const { logger, messages } = capturingLogger();
    const cache = new Cache({ redis: connection, namespace, registry, logger });
    const key = (name: string) => `cache:${namespace}:${name}`;

    await cache.set('kept', { weight: 0.25 }, 60);
    await cache.set('changed', 'before', 60);
    await cache.set('deleted', 'doomed', 60);
    await probe.set(key('read'), JSON.stringify('written elsewhere'), 'EX', 60);
    expect(await cache.get('read')).toBe('written elsewhere');
    let loads = 0;
    const loader = async () => {
      loads += 1;
      return { loadedDuringOutage: true };
    };

    await withRedisStopped(connection, async () => {
      // Reads of earlier reads and writes come from the LRU.
      expect(await cache.get('kept')).toEqual({ weight: 0.25 });
      expect(await cache.get('read')).toBe('written elsewhere');
      expect(await cache.get('never-cached')).toBeUndefined();
      expect(cache.isDegraded).toBe(true);
      // Writes never throw and are visible locally at once.
      await expect(cache.set('changed', 'during', 60)).resolves.toBeUndefined();
      await expect(cache.set('added', { n: 2 }, 60)).resolves.toBeUndefined();
      await expect(cache.del('deleted')).resolves.toBeUndefined();
      expect(await cache.get('changed')).toBe('during');
      expect(await cache.get('added')).toEqual({ n: 2 });
      expect(await cache.get('deleted')).toBeUndefined();
      // wrap loads locally, once, and serves the loaded value from the LRU afterwards.
      const loaded = await Promise.all([cache.wrap('wrapped', 60, loader), cache.wrap('wrapped', 60, loader)]);
      expect(loaded).toEqual([{ loadedDuringOutage: true }, { loadedDuringOutage: true }]);
      expect(await cache.wrap('wrapped', 60, loader)).toEqual({ loadedDuringOutage: true });
      expect(loads).toBe(1);
      expect(cache.pendingWrites).toBe(3);
      expect(await counterValue(registry, 'rebal_cache_fallback_reads_total', namespace)).toBeGreaterThanOrEqual(6);
    });

    // The outage writes reach Redis by themselves once the connection is ready again.
    await waitFor(async () => cache.pendingWrites === 0 && (await probe.get(key('added'))) !== null, {
      timeoutMs: 15_000,
      message: 'outage writes were not replayed',
    });
    expect(await probe.get(key('changed'))).toBe(JSON.stringify('during'));
    expect(await probe.exists(key('deleted'))).toBe(0);
    const replayedTtl = await probe.pttl(key('added'));
    expect(replayedTtl).toBeGreaterThan(0);
    expect(replayedTtl).toBeLessThanOrEqual(60_000);
    expect(cache.isDegraded).toBe(false);
    expect(await counterValue(registry, 'rebal_cache_replayed_writes_total', namespace)).toBe(3);

    // Another process, on its own fresh connection, reads the converged state.
    const other = new Cache({ redis: connect(), namespace, registry: new Registry() });
    expect(await other.get('kept')).toEqual({ weight: 0.25 });
    expect(await other.get('changed')).toBe('during');
    expect(await other.get('added')).toEqual({ n: 2 });
    expect(await other.get('deleted')).toBeUndefined();

    // One line per state change, not one per call.
    const logged = messages();
    expect(logged.filter((message) => message.startsWith('cache degraded mode'))).toHaveLength(1);
    expect(logged.filter((message) => message.startsWith('cache recovered'))).toHaveLength(1);
  }, 30_000);

  it('counts a failed Redis command as an error and answers from the LRU', async () => {
    const connection = connect();
    const namespace = uniqueNamespace('errors');
    const registry = new Registry();
    // Always ask Redis, as a readiness check that has not noticed the outage yet would.
    const cache = new Cache({ redis: connection, namespace, registry, isRedisReady: () => true, commandTimeoutMs: 500 });
    await cache.set('quote', 101.5, 60);
    expect(await counterValue(registry, 'rebal_cache_errors_total', namespace)).toBe(0);

    await withRedisStopped(connection, async () => {
      expect(await cache.get('quote')).toBe(101.5);
      await expect(cache.set('other', 1, 60)).resolves.toBeUndefined();

      expect(await counterValue(registry, 'rebal_cache_errors_total', namespace)).toBeGreaterThanOrEqual(2);
      expect(await counterValue(registry, 'rebal_cache_fallback_reads_total', namespace)).toBe(1);
      expect(await counterValue(registry, 'rebal_cache_hits_total', namespace)).toBe(1);
    });

    await waitFor(() => cache.pendingWrites === 0, { timeoutMs: 15_000 });
    expect(await cache.get('other')).toBe(1);
  }, 30_000);

  it('skips Redis at once while isRedisReady() says it is down', async () => {
    const namespace = uniqueNamespace('not-ready');
    const registry = new Registry();
    let ready = true;
    const probe = connect();
    const cache = new Cache({ redis: connect(), namespace, registry, isRedisReady: () => ready });
    await cache.set('k', 'in redis', 60);

    ready = false;
    await probe.set(`cache:${namespace}:k`, JSON.stringify('changed behind the cache'), 'EX', 60);
    expect(await cache.get('k')).toBe('in redis');
    expect(await counterValue(registry, 'rebal_cache_errors_total', namespace)).toBe(0);
    expect(await counterValue(registry, 'rebal_cache_fallback_reads_total', namespace)).toBe(1);

    ready = true;
    expect(await cache.get('k')).toBe('changed behind the cache');
  });
});
