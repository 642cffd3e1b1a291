import { ConfigError, parseRedisConfig, type RedisConfig } from '@rebal/redis-client';
import { bool, duration, envSchema, int, serviceEnv, serviceSettings, str, type EnvVarDoc, type ServiceSettings } from '@rebal/service-kit';
import { demoPortfolios, parseSymbols, type PortfolioSpec, type SymbolSpec } from '../simulation/market';

const schema = envSchema({
  ...serviceEnv(8083),
  SIM_SYMBOLS: str({
    default: 'BTC,ETH,SOL,ADA,DOT',
    description: 'symbols to simulate, `SYMBOL[:price[:volatility]]` comma-separated (volatility annualised, e.g. 0.6)',
  }),
  SIM_RATE: int({ default: 10, min: 1, max: 100_000, description: 'price_update events per second (all symbols together)' }),
  SIM_PORTFOLIOS: int({ default: 3, min: 0, max: 1000, description: 'demo portfolios (`demo-1`...) whose snapshots and risk metrics are published' }),
  SIM_SNAPSHOT_INTERVAL: duration({ default: 10_000, min: 100, description: 'how often each portfolio_snapshot and its risk_metric events are published' }),
  SIM_TIME_SCALE: int({ default: 3600, min: 1, max: 1_000_000, description: 'simulated seconds per real second (3600: an hour of market moves per second, so rules fire in a demo)' }),
  SIM_SEED: int({ default: 0, min: 0, description: 'random seed; 0 picks a new one each start' }),
  SIM_CONTROL: bool({
    default: false,
    description: 'serve `POST /api/v1/symbols/<SYMBOL>/pause` and `/resume`, which stop and restart one symbol\'s prices (a stale feed for demos and tests); they need no token: development only',
  }),
});

/** The simulator's settings, parsed once in main.ts. */
export interface SimulatorConfig extends ServiceSettings {
  redis: RedisConfig;
  symbols: SymbolSpec[];
  portfolios: PortfolioSpec[];
  ratePerSecond: number;
  snapshotIntervalMs: number;
  timeScale: number;
  seed: number;
  /** Whether the pause and resume routes are served (`SIM_CONTROL`, default false). */
  control: boolean;
}

/** Parses the environment; a bad value throws `ConfigError` naming its variable. */
export function parseSimulatorConfig(env: Record<string, string | undefined>): SimulatorConfig {
  const redis = parseRedisConfig(env);
  const v = schema.parse(env);
  let symbols: SymbolSpec[];
  try {
    symbols = parseSymbols(v.SIM_SYMBOLS);
  } catch (error) {
    throw new ConfigError('SIM_SYMBOLS', (error as Error).message);
  }
  return {
    redis,
    ...serviceSettings(v),
    symbols,
    portfolios: demoPortfolios(symbols, v.SIM_PORTFOLIOS),
    ratePerSecond: v.SIM_RATE,
    snapshotIntervalMs: v.SIM_SNAPSHOT_INTERVAL,
    timeScale: v.SIM_TIME_SCALE,
    seed: v.SIM_SEED || Math.floor(Math.random() * 2 ** 31),
    control: v.SIM_CONTROL,
  };
}

/** Every variable the simulator reads besides the Redis ones, for the README. */
export function describeSimulatorConfig(): EnvVarDoc[] {
  return schema.describe();
}
