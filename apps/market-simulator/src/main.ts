// Market simulator: environment -> config -> start. The only file that reads process.env.
import { ConfigError, createLogger } from '@rebal/redis-client';
import { runService } from '@rebal/service-kit';
import { parseSimulatorConfig } from './config/simulator-config';
import { createMarketSimulator } from './simulator';

let config;
try {
  config = parseSimulatorConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? `market-simulator: bad setting ${error.message}` : error);
  process.exit(2);
}
const logger = createLogger({ name: 'market-simulator', level: config.logLevel });
const settings = config;
void runService({ name: 'market-simulator', logger, create: () => createMarketSimulator(settings, logger) });
