import { inspect } from 'node:util';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Cluster } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { parseRedisConfig } from '../config';
import { ConnectionState } from './connection-state';
import { createRedisConnection } from './create-redis-connection';
import { duplicateConnection } from './duplicate-connection';
import { isConnectionError } from './is-connection-error';
import type { RedisConnection } from './redis-connection';
import { RedisUnavailableError } from './redis-unavailable-error';
import { waitUntilReady } from './wait-until-ready';

const fast = { baseMs: 20, maxMs: 200 };

/** The error `waitUntilReady` rejects with (fails the test when the connection becomes ready). */
async function notReady(conn: RedisConnection, timeoutMs: number): Promise<Error> {
  try {
    await waitUntilReady(conn, timeoutMs);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the connection not to become ready');
}

/** How long `promise` took to reject, and with what (fails the test when it resolves). */
async function timedFailure(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
  throw new Error('expected the command to fail');
}
let opened: RedisConnection[] = [];
function track<T extends RedisConnection>(conn: T): T {
  opened.push(conn);
  return conn;
}
afterEach(() => {
  for (const conn of opened) conn.disconnect();
  opened = [];
});

describe('createRedisConnection over TLS with a password (rediss://)', () => {
  const redis = useRedis({ mode: 'tls', appendonly: false });

  it('connects with parseRedisConfig(server.env): the CA file, the password and the db from the URL', async () => {
    const config = parseRedisConfig(redis.server.env);
    expect(config.main.tls?.caFile).toBe(redis.server.tls?.caFile);
    expect(config.main.displayUrl).not.toContain(redis.server.password);
    const conn = track(createRedisConnection(config.main, { name: 'tls-main' }));
    await waitUntilReady(conn, 10_000);
    expect(await conn.set('modes-spec:tls', 'over-tls')).toBe('OK');
    expect(await conn.client('GETNAME')).toBe('rebal:tls-main');
    const blocking = track(duplicateConnection(conn));
    expect(await blocking.get('modes-spec:tls')).toBe('over-tls');
  });

  it('refuses a server whose CA it was not given, saying why without the password', async () => {
    const { REDIS_TLS_CA_FILE: _ca, ...withoutCa } = redis.server.env;
    const conn = track(createRedisConnection(parseRedisConfig(withoutCa).main, { retry: fast }));
    const error = await notReady(conn, 1_000);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.message).toMatch(/certificate/);
    expect(error.message).toContain(`rediss://default:***@127.0.0.1:${redis.server.nodes[0].port}/0`);
    expect(error.message).not.toContain(redis.server.password);
  });

  it('checks the certificate against REDIS_TLS_SERVERNAME when it is set', async () => {
    const env = { ...redis.server.env, REDIS_TLS_SERVERNAME: 'not-in-the-certificate.example' };
    const conn = track(createRedisConnection(parseRedisConfig(env).main, { retry: fast }));
    const error = await notReady(conn, 1_000);
    expect(error.message).toMatch(/not-in-the-certificate\.example/);
    const named = track(createRedisConnection(parseRedisConfig({ ...redis.server.env, REDIS_TLS_SERVERNAME: 'localhost' }).main));
    await waitUntilReady(named, 10_000);
  });
});

describe('createRedisConnection with an ACL user', () => {
  const redis = useRedis({ mode: 'acl', appendonly: false });

  it('logs in as the user from REDIS_URL', async () => {
    const conn = track(createRedisConnection(parseRedisConfig(redis.server.env).main));
    expect(await conn.call('ACL', 'WHOAMI')).toBe(redis.server.username);
    expect(await conn.set('modes-spec:acl', 'v')).toBe('OK');
  });

  it('authenticates with a password alone (redis://:password@host) as the default user', async () => {
    const adminPassword = decodeURIComponent(new URL(redis.server.adminUrl).password);
    const { port } = redis.server.nodes[0];
    const config = parseRedisConfig({ REDIS_URL: `redis://:${encodeURIComponent(adminPassword)}@127.0.0.1:${port}/4` });
    expect(config.main.username).toBeUndefined();
    const conn = track(createRedisConnection(config.main));
    expect(await conn.call('ACL', 'WHOAMI')).toBe('default');
    await conn.set('modes-spec:db4', 'v');
    const admin = track(createRedisConnection(parseRedisConfig({ REDIS_URL: redis.server.adminUrl }).main));
    expect(await admin.get('modes-spec:db4')).toBeNull();
  });

  it('never shows a wrong password in errors, rejected commands or logs', async () => {
    const wrong = 'Wrong-S3cret-pw';
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const { port } = redis.server.nodes[0];
    const config = parseRedisConfig({ REDIS_URL: `redis://${redis.server.username}:${wrong}@127.0.0.1:${port}/0` });
    const conn = track(createRedisConnection(config.main, { logger, retry: fast }));
    const queued = conn.get('modes-spec:auth').catch((error: unknown) => error);
    const waited = await notReady(conn, 1_000);
    expect(waited).toBeInstanceOf(RedisUnavailableError);
    expect(waited.message).toContain(`redis://${redis.server.username}:***@127.0.0.1:${port}/0`);
    expect(waited.message).toMatch(/WRONGPASS/);
    const rejected = await queued;
    expect(rejected).toBeInstanceOf(Error);
    expect(lines.join('\n')).toMatch(/WRONGPASS/);
    for (const text of [inspect(waited, { depth: 5 }), inspect(rejected, { depth: 5 }), JSON.stringify(rejected), lines.join('\n')]) {
      expect(text).not.toContain(wrong);
    }
  });

  it('never becomes ready without credentials, and says NOAUTH', async () => {
    const { port } = redis.server.nodes[0];
    const conn = track(createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/0` }).main, { retry: fast }));
    const error = await notReady(conn, 1_000);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error.message).toMatch(/NOAUTH/);
  });
});

describe('createRedisConnection to a Cluster', () => {
  const redis = useRedis({ mode: 'cluster' }, 90_000);

  it('reaches every master from the seed nodes in REDIS_CLUSTER_NODES', async () => {
    const config = parseRedisConfig(redis.server.env);
    expect(config.main.mode).toBe('cluster');
    const conn = track(createRedisConnection(config.main, { name: 'cluster-main' }));
    expect(conn).toBeInstanceOf(Cluster);
    await waitUntilReady(conn, 10_000);
    // Keys spread over the slots of all three masters.
    const keys = Array.from({ length: 30 }, (_, index) => `modes-spec:cluster:${index}`);
    for (const key of keys) await conn.set(key, key);
    expect(await Promise.all(keys.map((key) => conn.get(key)))).toEqual(keys);
    const masters = (conn as Cluster).nodes('master');
    expect(masters).toHaveLength(3);
    for (const node of masters) expect(await node.client('GETNAME')).toBe('rebal:cluster-main');
  });

  it('fails commands fast while the Cluster is down, lets a blocking copy wait, and reports the outage', async () => {
    const config = parseRedisConfig(redis.server.env);
    const conn = track(createRedisConnection(config.main, { retry: fast }));
    const blocking = track(duplicateConnection(conn, { retry: fast }));
    const state = new ConnectionState({ registry: new Registry(), name: 'cluster' });
    try {
      state.watch(conn);
      await waitUntilReady(conn, 10_000);
      await waitUntilReady(blocking, 10_000);
      await waitFor(() => state.isReady(), { timeoutMs: 5_000 });

      await redis.server.stop();
      // A Cluster notices the outage on its next command (or slots refresh, every 5 s).
      const first = await timedFailure(conn.get('modes-spec:down'));
      expect(isConnectionError(first.error)).toBe(true);
      expect(first.ms).toBeLessThan(1_000);
      await waitFor(() => state.status === 'degraded', { timeoutMs: 5_000 });
      const next = await timedFailure(conn.set('modes-spec:down', 'x'));
      expect(isConnectionError(next.error)).toBe(true);
      expect(next.ms).toBeLessThan(250);

      const pending = blocking.set('modes-spec:written-while-down', 'yes');
      await redis.server.start();
      await expect(pending).resolves.toBe('OK');
      await waitUntilReady(conn, 20_000);
      await waitFor(() => state.isReady(), { timeoutMs: 10_000 });
      expect(await conn.get('modes-spec:written-while-down')).toBe('yes');
    } finally {
      state.close();
    }
  }, 60_000);

  it('is reachable through a seed list that starts with a node that is gone', async () => {
    const config = parseRedisConfig({ ...redis.server.env, REDIS_CLUSTER_NODES: `127.0.0.1:1,${redis.server.env['REDIS_CLUSTER_NODES']}` });
    const conn = track(createRedisConnection(config.main));
    await waitUntilReady(conn, 10_000);
    expect(await conn.ping()).toBe('PONG');
  });
});
