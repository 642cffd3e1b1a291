import { createRedisConnection, decodeEntry, parseRedisConfig, silentLogger, waitUntilReady, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { parseSimulatorConfig } from './config/simulator-config';
import { createMarketSimulator } from './simulator';

describe('market simulator', () => {
  let reader: RedisConnection | undefined;
  afterAll(() => reader?.quit());
  const redis = useRedis();

  it('publishes valid price, portfolio and risk events to the streams', async () => {
    const config = parseSimulatorConfig({ ...redis.server.env, PORT: '0', HOST: '127.0.0.1', SIM_RATE: '200', SIM_SNAPSHOT_INTERVAL: '200ms', SIM_PORTFOLIOS: '2', SIM_SEED: '42' });
    const simulator = createMarketSimulator(config, silentLogger());
    reader = createRedisConnection(parseRedisConfig(redis.server.env).main, { name: 'test-reader' });
    await waitUntilReady(reader);
    await simulator.start();
    try {
      const connection = reader;
      await waitFor(async () => (await connection.xlen('market_data')) >= 100 && (await connection.xlen('risk_events')) >= 6, { timeoutMs: 15_000 });
      const ready = await fetch(`http://127.0.0.1:${simulator.port()}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await simulator.close();
    }
    for (const stream of ['market_data', 'portfolio_updates', 'risk_events', 'service_heartbeats']) {
      const entries = (await reader.xrange(stream, '-', '+')) as Array<[string, string[]]>;
      expect(entries.length).toBeGreaterThan(0);
      for (const [, fields] of entries) expect(decodeEntry(fields)).toMatchObject({ ok: true });
    }
    const snapshots = (await reader.xrange('portfolio_updates', '-', '+')) as Array<[string, string[]]>;
    const subjects = new Set(snapshots.map(([, f]) => f[f.indexOf('subject') + 1]));
    expect(subjects).toEqual(new Set(['demo-1', 'demo-2']));
  }, 30_000);

  it('pauses and resumes one symbol\'s price feed over HTTP while the others keep publishing', async () => {
    const prefix = `sim${Date.now().toString(36)}:`;
    const config = parseSimulatorConfig({ ...redis.server.env, PORT: '0', HOST: '127.0.0.1', SIM_RATE: '100', SIM_SYMBOLS: 'BTC,ETH', SIM_PORTFOLIOS: '0', SIM_SEED: '7', SIM_CONTROL: 'true', REDIS_STREAM_PREFIX: prefix });
    const simulator = createMarketSimulator(config, silentLogger());
    const conn = createRedisConnection(parseRedisConfig(redis.server.env).main, { name: 'test-pause' });
    await waitUntilReady(conn);
    await simulator.start();
    const post = (path: string) => fetch(`http://127.0.0.1:${simulator.port()}${path}`, { method: 'POST', headers: { connection: 'close' } });
    /** The symbols of the price events after `id`, and the newest id. */
    const symbolsAfter = async (id: string): Promise<{ symbols: string[]; last: string }> => {
      const entries = (await conn.xrange(`${prefix}market_data`, `(${id}`, '+')) as Array<[string, string[]]>;
      return { symbols: entries.map(([, f]) => f[f.lastIndexOf('subject') + 1] as string), last: entries.at(-1)?.[0] ?? id };
    };
    try {
      await waitFor(async () => (await symbolsAfter('0-0')).symbols.includes('BTC'), { message: 'BTC prices' });
      const pause = await post('/api/v1/symbols/BTC/pause');
      expect([pause.status, await pause.json()]).toEqual([200, { symbol: 'BTC', paused: true }]);
      // Whatever was in flight when it answered is published by now: from here on, ETH only.
      const from = (await symbolsAfter('0-0')).last;
      await waitFor(async () => (await symbolsAfter(from)).symbols.length >= 20, { message: '20 more prices' });
      const { symbols, last } = await symbolsAfter(from);
      expect(new Set(symbols)).toEqual(new Set(['ETH']));

      const resume = await post('/api/v1/symbols/BTC/resume');
      expect([resume.status, await resume.json()]).toEqual([200, { symbol: 'BTC', paused: false }]);
      await waitFor(async () => (await symbolsAfter(last)).symbols.includes('BTC'), { message: 'BTC prices again' });

      const unknown = await post('/api/v1/symbols/DOGE/pause');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 'unknown_symbol' });
    } finally {
      await simulator.close();
      conn.disconnect();
    }
  }, 30_000);

  it('serves no pause route unless SIM_CONTROL is on (they take no token)', async () => {
    const config = parseSimulatorConfig({ ...redis.server.env, PORT: '0', HOST: '127.0.0.1', SIM_PORTFOLIOS: '0', REDIS_STREAM_PREFIX: `simoff${Date.now().toString(36)}:` });
    expect(config.control).toBe(false);
    const simulator = createMarketSimulator(config, silentLogger());
    await simulator.start();
    try {
      const response = await fetch(`http://127.0.0.1:${simulator.port()}/api/v1/symbols/BTC/pause`, { method: 'POST', headers: { connection: 'close' } });
      expect(response.status).toBe(404);
    } finally {
      await simulator.close();
    }
  });

  it('stops start-up with the name of a bad setting', () => {
    expect(() => parseSimulatorConfig({ SIM_SYMBOLS: 'btc' })).toThrow(/^SIM_SYMBOLS: /);
    expect(() => parseSimulatorConfig({ SIM_RATE: 'fast' })).toThrow(/^SIM_RATE: /);
  });
});
