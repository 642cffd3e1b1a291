// The health monitor process: the only place that reads the environment.
import { ConfigError, createLogger } from '@rebal/redis-client';
import { runService } from '@rebal/service-kit';
import { parseHealthMonitorConfig } from './config';
import { createHealthMonitor, HEALTH_MONITOR_SERVICE } from './health-monitor';

function main(): void {
  let config;
  try {
    config = parseHealthMonitorConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`health-monitor: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ name: HEALTH_MONITOR_SERVICE, level: config.logLevel });
  void runService({ name: HEALTH_MONITOR_SERVICE, logger, create: () => createHealthMonitor(config, { logger }) });
}

main();
