import { once } from 'node:events';
import { freePort, RedisServerProcess, startRedis, waitFor } from '@rebal/redis-testing';
import pino from 'pino';
import { Registry } from 'prom-client';
import { parseRedisConfig } from '../config';
import type { Logger } from '../logging';
import { ConnectionState } from './connection-state';
import { createRedisConnection } from './create-redis-connection';
import { duplicateConnection } from './duplicate-connection';
import { isConnectionError } from './is-connection-error';
import type { RedisConnection } from './redis-connection';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** An info-level pino logger whose JSON lines land in `lines`. */
function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) }), lines };
}

const WARN = 40;
const INFO = 30;
const fast = { baseMs: 20, maxMs: 200 };

async function gaugeValue(registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('rebal_redis_connection_up')?.get();
  return metric?.values.find((value) => value.labels['name'] === name)?.value;
}

describe('ConnectionState', () => {
  let connections: RedisConnection[] = [];
  afterEach(() => {
    for (const conn of connections) conn.disconnect();
    connections = [];
  });

  it('goes ready → degraded → ready across a restart, logging "degraded mode" exactly once however many reconnects', async () => {
    const server = await startRedis({ appendonly: false });
    const { logger, lines } = captureLogger();
    const registry = new Registry();
    const state = new ConnectionState({ logger, name: 'alert-service', registry });
    const changes: string[] = [];
    state.on('change', (status) => changes.push(status));
    try {
      expect(state.status).toBe('degraded');
      expect(state.isReady()).toBe(false);
      const conn = createRedisConnection(parseRedisConfig(server.env).main, { retry: fast });
      connections.push(conn);
      state.watch(conn);
      await once(state, 'change');
      expect(state.status).toBe('ready');
      expect(await gaugeValue(registry, 'alert-service')).toBe(1);

      let reconnects = 0;
      conn.on('reconnecting', () => reconnects++);
      await server.stop();
      await waitFor(() => state.status === 'degraded', { timeoutMs: 5_000 });
      expect(state.isReady()).toBe(false);
      expect(await gaugeValue(registry, 'alert-service')).toBe(0);
      await waitFor(() => reconnects >= 5, { timeoutMs: 10_000, message: 'fewer than 5 reconnect attempts' });

      const degraded = lines.filter((line) => line.msg.includes('degraded mode'));
      expect(degraded).toHaveLength(1);
      expect(degraded[0]).toMatchObject({ level: WARN, connection: 'alert-service', redis: [server.url] });
      expect(String(degraded[0]['reason'])).toMatch(/ECONNREFUSED|connection (close|reconnecting)/);

      await server.start();
      await waitFor(() => state.isReady(), { timeoutMs: 10_000 });
      expect(await gaugeValue(registry, 'alert-service')).toBe(1);
      expect(changes).toEqual(['ready', 'degraded', 'ready']);
      const restored = lines.filter((line) => line.msg === 'Redis connection restored');
      expect(restored).toHaveLength(1);
      expect(restored[0].level).toBe(INFO);
      expect(lines.filter((line) => line.msg.includes('degraded mode'))).toHaveLength(1);
      expect(lines.map((line) => line.msg)).toEqual([
        'Redis connection ready',
        expect.stringContaining('degraded mode'),
        'Redis connection restored',
      ]);
    } finally {
      state.close();
      await server.dispose();
    }
  }, 30_000);

  it('is ready only while every watched connection is ready, and a connection still starting is no outage', async () => {
    const server = await startRedis({ appendonly: false });
    const { logger, lines } = captureLogger();
    const state = new ConnectionState({ logger, registry: new Registry() });
    try {
      const command = createRedisConnection(parseRedisConfig(server.env).main, { retry: fast });
      connections.push(command);
      state.watch(command);
      await waitFor(() => state.isReady(), { timeoutMs: 5_000 });

      const blocking = duplicateConnection(command, { retry: fast });
      connections.push(blocking);
      state.watch(blocking);
      expect(blocking.status).not.toBe('ready');
      expect(state.status).toBe('degraded');
      await waitFor(() => state.isReady(), { timeoutMs: 5_000 });
      expect(lines.map((line) => line.msg)).toEqual(['Redis connection ready']);

      blocking.disconnect();
      await waitFor(() => state.status === 'degraded', { timeoutMs: 5_000 });
      expect(command.status).toBe('ready');
      expect(lines.filter((line) => line.msg.includes('degraded mode'))).toHaveLength(1);

      state.unwatch(blocking);
      expect(state.status).toBe('ready');
    } finally {
      state.close();
      await server.dispose();
    }
  }, 30_000);

  it('logs degraded mode once when Redis is unreachable from the start, then "restored" when it appears', async () => {
    const port = await freePort();
    const { logger, lines } = captureLogger();
    const state = new ConnectionState({ logger, registry: new Registry() });
    const conn = createRedisConnection(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${port}/0` }).main, { retry: fast });
    connections.push(conn);
    state.watch(conn);
    let reconnects = 0;
    conn.on('reconnecting', () => reconnects++);
    const server = new RedisServerProcess({ port });
    try {
      await waitFor(() => reconnects >= 3, { timeoutMs: 10_000 });
      expect(state.status).toBe('degraded');
      expect(lines.filter((line) => line.msg.includes('degraded mode'))).toHaveLength(1);
      await server.start();
      await waitFor(() => state.isReady(), { timeoutMs: 10_000 });
      expect(lines.map((line) => line.msg)).toEqual([expect.stringContaining('degraded mode'), 'Redis connection restored']);
    } finally {
      state.close();
      await server.dispose();
    }
  }, 30_000);

  it('logs nothing and stops reporting after close(), even when the connections then end', async () => {
    const server = await startRedis({ appendonly: false });
    const { logger, lines } = captureLogger();
    const state = new ConnectionState({ logger, registry: new Registry() });
    try {
      const conn = createRedisConnection(parseRedisConfig(server.env).main);
      connections.push(conn);
      state.watch(conn);
      await waitFor(() => state.isReady(), { timeoutMs: 5_000 });
      state.close();
      state.close();
      await conn.quit();
      await waitFor(() => conn.status === 'end', { timeoutMs: 5_000 });
      expect(state.status).toBe('ready');
      expect(lines.map((line) => line.msg)).toEqual(['Redis connection ready']);
    } finally {
      await server.dispose();
    }
  });

  it('issue 11 item 29: notices a Redis that hangs (SIGSTOP): degraded mode once, commands fail within REDIS_COMMAND_TIMEOUT, restored on SIGCONT', async () => {
    const server = await startRedis({ appendonly: false });
    const { logger, lines } = captureLogger();
    const registry = new Registry();
    const state = new ConnectionState({ logger, name: 'hang', registry, pingIntervalMs: 100 });
    const pid = server.processes[0]?.pid;
    if (pid === undefined) throw new Error('no redis-server process to pause');
    try {
      const conn = createRedisConnection(parseRedisConfig({ ...server.env, REDIS_COMMAND_TIMEOUT: '700ms' }).main, { retry: fast });
      connections.push(conn);
      state.watch(conn);
      await waitFor(() => state.isReady(), { timeoutMs: 5_000 });
      let reconnects = 0;
      conn.on('reconnecting', () => reconnects++);

      process.kill(pid, 'SIGSTOP');
      try {
        // A write waits at most the command timeout, and fails as a connection error (HTTP 503).
        const started = performance.now();
        const failure = await conn.set('conn-spec:hang', 'x').then(() => undefined, (error: unknown) => error);
        expect(isConnectionError(failure)).toBe(true);
        expect(performance.now() - started).toBeLessThan(700 + 1_000);
        await waitFor(() => state.status === 'degraded', { timeoutMs: 5_000, message: 'the hang was never noticed' });
        expect(await gaugeValue(registry, 'hang')).toBe(0);
        // It stays degraded, logged once, however long the hang lasts.
        await waitFor(() => lines.filter((line) => line.msg.includes('degraded mode')).length === 1);
        const degraded = lines.find((line) => line.msg.includes('degraded mode'));
        expect(degraded).toMatchObject({ level: WARN, connection: 'hang' });
        expect(String(degraded?.['reason'])).toMatch(/no reply to PING within 700 ms/);
        // A link that stays silent is replaced (a vanished host would never answer on it).
        await waitFor(() => reconnects > 0, { timeoutMs: 5_000, message: 'the silent socket was never replaced' });
        expect(lines.filter((line) => line.msg.includes('degraded mode'))).toHaveLength(1);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await waitFor(() => state.isReady(), { timeoutMs: 10_000, message: 'never recovered after SIGCONT' });
      expect(await conn.set('conn-spec:hang', 'back')).toBe('OK');
      expect(lines.map((line) => line.msg)).toEqual(['Redis connection ready', expect.stringContaining('degraded mode'), 'Redis connection restored']);
    } finally {
      state.close();
      await server.dispose();
    }
  }, 30_000);
});
