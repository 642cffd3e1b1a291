// Market simulator: environment -> config -> start. The only file that reads process.env.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { describeSimulatorConfig, parseSimulatorConfig } from './config/simulator-config';
import { createMarketSimulator } from './simulator';

const SERVICE = 'market-simulator';
const config = loadServiceConfig({
  name: SERVICE,
  summary:
    'Publishes simulated price_update, portfolio_snapshot and risk_metric events for the local stack, demos and benchmarks. ' +
    'With SIM_CONTROL=true, POST /api/v1/symbols/<SYMBOL>/pause and POST /api/v1/symbols/<SYMBOL>/resume on its HTTP port stop and restart one symbol\'s price feed (the others keep their rate), to show a stale feed.',
  variables: describeSimulatorConfig(),
  parse: parseSimulatorConfig,
});
const logger = createLogger({ name: SERVICE, level: config.logLevel });
void runService({ name: SERVICE, logger, create: () => createMarketSimulator(config, logger) });
