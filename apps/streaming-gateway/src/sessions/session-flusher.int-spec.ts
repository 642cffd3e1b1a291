import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createGatewayMetrics } from '../metrics';
import { testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { SessionFlusher, type SessionFlusherOptions } from './session-flusher';
import { sessionKey } from './session-record';
import { SessionStore } from './session-store';
import { evalCalls, spyOnCommands } from './test/redis-command-counts';
import { FakeConnection } from './test/session-test-kit';

describe('SessionFlusher against Redis', () => {
  let redis: RedisConnection;
  const flushers: SessionFlusher[] = [];

  afterAll(async () => {
    await Promise.all(flushers.map((flusher) => flusher.stop()));
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  /** A flusher (an hour between timer flushes unless told) on a store with its own key prefix. */
  function setUp(options: { ttlMs?: number; flusher?: Partial<SessionFlusherOptions> } = {}) {
    const prefix = uniquePrefix();
    const store = new SessionStore({ redis, keyPrefix: prefix, ttlMs: options.ttlMs ?? 60_000 });
    const flusher = new SessionFlusher({ store, intervalMs: 3_600_000, metrics: createGatewayMetrics(new Registry()), ...options.flusher });
    flushers.push(flusher);
    return { prefix, store, flusher };
  }

  it('writes the sessions of 200 connections with one pipeline per flush', async () => {
    const { store, flusher } = setUp();
    await store.save('warm-up', 'conn', { subject: 'user-1', channels: [], positions: {} }, true); // caches the script
    const connections = Array.from({ length: 200 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `many-${index}`);
      connection.move('market_data', `${index + 1}-0`);
    });
    const commands = spyOnCommands(redis);
    try {
      for (let flush = 1; flush <= 3; flush++) {
        const before = await evalCalls(redis);
        const report = await flusher.flush();
        // 1: the channels; 2: the positions confirmed at 1; 3: they moved again at 2.
        expect(report).toEqual({ recorders: 200, writes: 200, pipelines: 1, failures: 0 });
        expect((await evalCalls(redis)).evalsha).toBe(before.evalsha + 200);
        expect(commands.counts()).toEqual({ pipelines: flush, evalsha: 0, eval: 0 });
        connections.forEach((connection, index) => connection.move('market_data', `${index + 1 + flush * 1000}-0`));
      }
    } finally {
      commands.restore();
    }
    expect((await store.load('many-7'))?.positions).toEqual({ market_data: '1008-0' });
  });

  it('never sends more than one pipeline per timer flush while positions keep moving', async () => {
    const { store, flusher } = setUp({ flusher: { intervalMs: 25 } });
    await store.save('warm-up', 'conn', { subject: 'user-1', channels: [], positions: {} }, true);
    const connections = Array.from({ length: 200 }, () => new FakeConnection());
    connections.forEach((connection, index) => connection.recorder(flusher, `timed-${index}`));
    let position = 0;
    const mover = setInterval(() => {
      position++;
      for (const connection of connections) connection.move('alerts', `${position}-0`);
    }, 5);
    const before = await evalCalls(redis);
    const start = flusher.stats();
    try {
      flusher.start();
      await waitFor(() => flusher.stats().flushes >= start.flushes + 6);
    } finally {
      clearInterval(mover);
      await flusher.stop();
    }
    const stats = flusher.stats();
    const flushes = stats.flushes - start.flushes;
    expect(stats.pipelines - start.pipelines).toBeLessThanOrEqual(flushes);
    expect(stats.writes - start.writes).toBeGreaterThanOrEqual(200 * (flushes - 1));
    expect((await evalCalls(redis)).evalsha - before.evalsha).toBe(stats.writes - start.writes);
    await waitFor(async () => Number((await store.load('timed-199'))?.positions['alerts']?.split('-')[0] ?? 0) > 1);
  });

  it('does not rewrite an idle session until its TTL needs renewing', async () => {
    let clock = Date.now();
    const { prefix, store, flusher } = setUp({ ttlMs: 30_000, flusher: { now: () => clock } });
    const connection = new FakeConnection();
    connection.recorder(flusher, 'idle');
    connection.move('alerts', '4-0');
    await flusher.flush();
    await flusher.flush();
    expect((await store.load('idle'))?.positions).toEqual({ alerts: '4-0' });
    const snapshots = connection.snapshots;
    const before = await evalCalls(redis);
    await redis.pexpire(sessionKey('idle', prefix), 20_000);

    for (let flush = 0; flush < 5; flush++) {
      clock += 1_500;
      expect(await flusher.flush()).toMatchObject({ recorders: 1, writes: 0 });
    }
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha);
    expect(connection.snapshots).toBe(snapshots);
    expect(await redis.pttl(sessionKey('idle', prefix))).toBeLessThanOrEqual(20_000);

    clock += 2_500; // 10 s since the write: a third of the TTL
    expect(await flusher.flush()).toMatchObject({ writes: 1, pipelines: 1 });
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha + 1);
    expect(await redis.pttl(sessionKey('idle', prefix))).toBeGreaterThan(25_000);
  });

  it('stops an older connection from writing once a newer one took the session over', async () => {
    const { store, flusher } = setUp();
    const old = new FakeConnection();
    old.recorder(flusher, 'taken');
    old.move('alerts', '1-0');
    await flusher.flush();
    await flusher.flush();
    expect((await store.load('taken'))?.positions).toEqual({ alerts: '1-0' });

    const newer = { subject: 'user-1', channels: ['alerts', 'risk_events'], positions: { alerts: '50-0' } };
    expect(await store.save('taken', 'newer-connection', newer, true)).toBe(true);
    old.move('alerts', '2-0');
    expect(await flusher.flush()).toMatchObject({ recorders: 1, writes: 0 }); // takes 2-0
    expect(await flusher.flush()).toMatchObject({ recorders: 1, writes: 1, failures: 0 }); // refused by the script
    old.move('alerts', '3-0');
    const before = await evalCalls(redis);
    expect(await flusher.flush()).toMatchObject({ recorders: 0, writes: 0 });
    expect((await evalCalls(redis)).evalsha).toBe(before.evalsha);
    expect(await store.load('taken')).toEqual(newer);
  });

  it('writes a closing connection\'s session at once, not at the next flush', async () => {
    const { store, flusher } = setUp();
    flusher.start();
    const connection = new FakeConnection();
    const recorder = connection.recorder(flusher, 'closing');
    connection.move('alerts', '1-0');
    await flusher.flush();
    connection.move('portfolio_updates', '2-0');
    await recorder.stop();
    expect(await store.load('closing')).toEqual({ subject: 'user-1', channels: ['alerts', 'portfolio_updates'], positions: { alerts: '1-0' } });
    expect(flusher.stats().flushes).toBe(1);
  });

  it('writes again, with EVAL, after Redis lost its scripts', async () => {
    const { store, flusher } = setUp();
    const connections = Array.from({ length: 10 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `flushed-scripts-${index}`);
      connection.move('alerts', '1-0');
    });
    await redis.script('FLUSH');
    expect(await flusher.flush()).toEqual({ recorders: 10, writes: 10, pipelines: 2, failures: 0 });
    expect(await flusher.flush()).toEqual({ recorders: 10, writes: 10, pipelines: 1, failures: 0 });
    expect((await store.load('flushed-scripts-9'))?.positions).toEqual({ alerts: '1-0' });
  });
});
