import type { RedisConnection } from '../connection/redis-connection';
import { CacheOptionsError } from './cache-errors';
import { resolveCacheOptions } from './cache-options';

const redis = { status: 'ready' } as unknown as RedisConnection;

describe('resolveCacheOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveCacheOptions({ redis, namespace: 'prices' });
    expect(resolved).toMatchObject({
      defaultTtlSeconds: 300,
      fallbackMaxEntries: 1000,
      lockTtlMs: 10_000,
      lockWaitMs: 10_000,
      commandTimeoutMs: 1000,
    });
  });

  it('waits as long as the lock lives unless told otherwise', () => {
    expect(resolveCacheOptions({ redis, namespace: 'p', lockTtlMs: 2000 }).lockWaitMs).toBe(2000);
    expect(resolveCacheOptions({ redis, namespace: 'p', lockTtlMs: 2000, lockWaitMs: 500 }).lockWaitMs).toBe(500);
  });

  it('treats the connection as ready from its status by default', () => {
    const connection = { status: 'ready' } as { status: string };
    const { isRedisReady } = resolveCacheOptions({ redis: connection as unknown as RedisConnection, namespace: 'p' });
    expect(isRedisReady()).toBe(true);
    connection.status = 'reconnecting';
    expect(isRedisReady()).toBe(false);
    connection.status = 'end';
    expect(isRedisReady()).toBe(false);
    for (const status of ['wait', 'connecting', 'connect']) {
      connection.status = status;
      expect(isRedisReady()).toBe(true);
    }
  });

  it.each([
    { defaultTtlSeconds: 0 },
    { defaultTtlSeconds: 1.5 },
    { fallbackMaxEntries: 0 },
    { lockTtlMs: -1 },
    { lockWaitMs: 0 },
    { commandTimeoutMs: Number.NaN },
    { namespace: 'Bad Namespace' },
    { redis: undefined },
  ])('rejects %p with CacheOptionsError', (override) => {
    expect(() => resolveCacheOptions({ redis, namespace: 'prices', ...override } as never)).toThrow(CacheOptionsError);
  });
});
