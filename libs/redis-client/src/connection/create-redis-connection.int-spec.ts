import { freePort, startRedis, useRedis, waitFor } from '@rebal/redis-testing';
import { parseRedisConfig } from '../config';
import { createRedisConnection } from './create-redis-connection';
import { duplicateConnection } from './duplicate-connection';
import { isConnectionError } from './is-connection-error';
import type { RedisConnection } from './redis-connection';
import { RedisUnavailableError } from './redis-unavailable-error';
import { waitUntilReady } from './wait-until-ready';

/** Resolves with how many ms `promise` took to reject, failing when it resolves. */
async function msToReject(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
  throw new Error('expected the command to fail');
}

const fast = { baseMs: 20, maxMs: 200 };
let opened: RedisConnection[] = [];
function track<T extends RedisConnection>(conn: T): T {
  opened.push(conn);
  return conn;
}
afterEach(() => {
  for (const conn of opened) conn.disconnect();
  opened = [];
});

describe('createRedisConnection (standalone)', () => {
  const redis = useRedis({ appendonly: false });

  it('selects the db index from the URL: a key written in db 3 is not visible in db 0', async () => {
    const port = redis.server.nodes[0].port;
    const db3 = track(createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/3` }).main));
    const db0 = track(createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/0` }).main));
    await db3.set('conn-spec:db-index', 'in-3');
    expect(await db3.get('conn-spec:db-index')).toBe('in-3');
    expect(await db0.get('conn-spec:db-index')).toBeNull();
    expect(await db0.exists('conn-spec:db-index')).toBe(0);
  });

  it('names the connection rebal:<name> so CLIENT LIST shows who is who', async () => {
    const conn = track(createRedisConnection(parseRedisConfig(redis.server.env).main, { name: 'alert-api' }));
    await waitUntilReady(conn, 5_000);
    expect(await conn.client('GETNAME')).toBe('rebal:alert-api');
    const copy = track(duplicateConnection(conn));
    await waitUntilReady(copy, 5_000);
    const list = String(await conn.client('LIST'));
    expect(list).toContain('name=rebal:alert-api ');
    expect(list).toContain('name=rebal:alert-api:blocking ');
  });

  it('queues commands issued during the first connection attempt, so callers need not wait for ready', async () => {
    const conn = track(createRedisConnection(parseRedisConfig(redis.server.env).main));
    expect(conn.status).not.toBe('ready');
    await expect(conn.set('conn-spec:first', '1')).resolves.toBe('OK');
  });

  it('waitUntilReady resolves at once for a ready connection and starts a lazy one', async () => {
    const conn = track(createRedisConnection(parseRedisConfig(redis.server.env).main, { lazyConnect: true }));
    expect(conn.status).toBe('wait');
    await waitUntilReady(conn, 5_000);
    expect(conn.status).toBe('ready');
    await waitUntilReady(conn, 1);
  });

  it('issue 11 item 28: an ACL user with nopass connects through the documented form, with any password', async () => {
    const port = redis.server.nodes[0].port;
    const admin = track(createRedisConnection(parseRedisConfig(redis.server.env).main, { name: 'acl-admin' }));
    await admin.call('ACL', 'SETUSER', 'conn-spec-nopass', 'on', 'nopass', '~conn-spec:*', '+@all');
    try {
      const user = track(createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://conn-spec-nopass:x@127.0.0.1:${port}/0` }).main));
      expect(await user.call('ACL', 'WHOAMI')).toBe('conn-spec-nopass');
    } finally {
      await admin.call('ACL', 'DELUSER', 'conn-spec-nopass');
    }
  });

  it('duplicateConnection copies the address and db of the original', async () => {
    const port = redis.server.nodes[0].port;
    const conn = track(createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/5` }).main, { name: 'dup' }));
    await conn.set('conn-spec:dup', 'db5');
    const copy = track(duplicateConnection(conn, { name: 'dup-reader' }));
    expect(await copy.get('conn-spec:dup')).toBe('db5');
    expect(await copy.client('GETNAME')).toBe('rebal:dup-reader');
  });
});

describe('createRedisConnection while Redis is down', () => {
  it('fails a command fast once the disconnect is noticed, however long the outage lasts', async () => {
    const server = await startRedis({ appendonly: false });
    try {
      const conn = track(createRedisConnection(parseRedisConfig(server.env).main, { retry: { baseMs: 50, maxMs: 5_000 } }));
      await waitUntilReady(conn, 5_000);
      let reconnects = 0;
      conn.on('reconnecting', () => reconnects++);
      await server.stop();
      await waitFor(() => conn.status !== 'ready', { timeoutMs: 5_000, message: 'disconnect not noticed' });

      const first = await msToReject(conn.get('conn-spec:down'));
      expect(isConnectionError(first.error)).toBe(true);
      expect(first.ms).toBeLessThan(250);

      // Later in the outage the backoff has grown; commands must still fail at once.
      await waitFor(() => reconnects >= 4, { timeoutMs: 10_000, message: 'fewer than 4 reconnect attempts' });
      const later = await msToReject(conn.set('conn-spec:down', 'x'));
      expect(isConnectionError(later.error)).toBe(true);
      expect(later.ms).toBeLessThan(250);

      await server.start();
      await waitUntilReady(conn, 10_000);
      expect(await conn.set('conn-spec:down', 'back')).toBe('OK');
    } finally {
      await server.dispose();
    }
  }, 30_000);

  it('lets a blocking connection issue a command while down that completes after the server returns', async () => {
    const server = await startRedis({ appendonly: false });
    try {
      const command = track(createRedisConnection(parseRedisConfig(server.env).main, { name: 'cmd', retry: fast }));
      const blocking = track(duplicateConnection(command));
      await waitUntilReady(blocking, 5_000);
      await server.stop();
      await waitFor(() => blocking.status !== 'ready', { timeoutMs: 5_000, message: 'disconnect not noticed' });

      let settled = false;
      const pending = blocking.set('conn-spec:blocking', 'written-while-down').finally(() => (settled = true));
      // It waits through reconnect attempts instead of failing.
      await waitFor(() => blocking.status === 'reconnecting', { timeoutMs: 5_000 });
      expect(settled).toBe(false);

      await server.start();
      await expect(pending).resolves.toBe('OK');
      await waitUntilReady(command, 5_000);
      expect(await command.get('conn-spec:blocking')).toBe('written-while-down');
    } finally {
      await server.dispose();
    }
  }, 30_000);

  it('keeps a blocking XREADGROUP issued while down and delivers the entry added after the restart', async () => {
    // AOF on: the stream and its group survive the restart, as in production.
    const server = await startRedis();
    try {
      const command = track(createRedisConnection(parseRedisConfig(server.env).main, { retry: fast }));
      const reader = track(duplicateConnection(command, { name: 'reader', retry: fast }));
      await command.xgroup('CREATE', 'conn-spec:stream', 'g', '$', 'MKSTREAM');
      await waitUntilReady(reader, 5_000);
      await server.stop();
      await waitFor(() => reader.status !== 'ready', { timeoutMs: 5_000 });
      const read = reader.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 1, 'BLOCK', 10_000, 'STREAMS', 'conn-spec:stream', '>');
      await server.start();
      await waitUntilReady(command, 5_000);
      await waitFor(() => reader.status === 'ready', { timeoutMs: 5_000 });
      const id = await command.xadd('conn-spec:stream', '*', 'k', 'v');
      const result = (await read) as [string, [string, string[]][]][] | null;
      expect(result?.[0]?.[1]?.[0]?.[0]).toBe(id);
    } finally {
      await server.dispose();
    }
  }, 30_000);

  it('retries with capped exponential backoff: each delay doubles from baseMs, jitter drops at most half, none exceeds maxMs', async () => {
    const port = await freePort();
    const conn = track(
      createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/0` }).main, { retry: { baseMs: 20, maxMs: 160 } }),
    );
    const delays: number[] = [];
    conn.on('reconnecting', (delayMs: number) => delays.push(delayMs));
    await waitFor(() => delays.length >= 7, { timeoutMs: 5_000, message: () => `only ${delays.length} reconnect attempts` });
    delays.slice(0, 7).forEach((delayMs, i) => {
      const ceiling = Math.min(160, 20 * 2 ** i);
      expect(delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delayMs).toBeLessThanOrEqual(ceiling);
    });
  });

  it('waitUntilReady rejects with the displayUrl and the last error when nothing listens', async () => {
    const port = await freePort();
    const config = parseRedisConfig({ REDIS_URL: `redis://app:Secret-Never-Shown@127.0.0.1:${port}/2` });
    const conn = track(createRedisConnection(config.main, { retry: fast }));
    const started = performance.now();
    const error = await waitUntilReady(conn, 300).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as RedisUnavailableError).code).toBe('ERR_REDIS_UNAVAILABLE');
    expect((error as Error).message).toBe(
      `Redis at redis://app:***@127.0.0.1:${port}/2 is not ready after 300 ms (status ${(error as RedisUnavailableError).status}; last error: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect((error as Error).message).not.toContain('Secret-Never-Shown');
  });

  it('waitUntilReady rejects at once for a closed connection', async () => {
    const conn = createRedisConnection(parseRedisConfig({ REDIS_URL: 'redis://127.0.0.1:1/0' }).main, { lazyConnect: true });
    conn.disconnect();
    await waitFor(() => conn.status === 'end', { timeoutMs: 2_000 });
    await expect(waitUntilReady(conn, 5_000)).rejects.toThrow(/is closed/);
  });
});
