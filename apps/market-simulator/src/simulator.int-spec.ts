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

  it('stops start-up with the name of a bad setting', () => {
    expect(() => parseSimulatorConfig({ SIM_SYMBOLS: 'btc' })).toThrow(/^SIM_SYMBOLS: /);
    expect(() => parseSimulatorConfig({ SIM_RATE: 'fast' })).toThrow(/^SIM_RATE: /);
  });
});
