// Market simulator: environment -> config -> start. The only file that reads process.env.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { describeSimulatorConfig, parseSimulatorConfig } from './config/simulator-config';
import { createMarketSimulator } from './simulator';

const SERVICE = 'market-simulator';
const config = loadServiceConfig({
  name: SERVICE,
  summary: 'Publishes simulated price_update, portfolio_snapshot and risk_metric events for the local stack, demos and benchmarks.',
  variables: describeSimulatorConfig(),
  parse: parseSimulatorConfig,
});
const logger = createLogger({ name: SERVICE, level: config.logLevel });
void runService({ name: SERVICE, logger, create: () => createMarketSimulator(config, logger) });
