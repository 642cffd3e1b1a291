// The health monitor process: the only place that reads the environment.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { HEALTH_MONITOR_ENV, parseHealthMonitorConfig } from './config';
import { createHealthMonitor, HEALTH_MONITOR_SERVICE } from './health-monitor';

function main(): void {
  const config = loadServiceConfig({
    name: HEALTH_MONITOR_SERVICE,
    summary: 'Watches Redis, the streams and consumer groups and every service\'s heartbeats; serves /metrics and /api/v1/status and raises system_status events.',
    variables: HEALTH_MONITOR_ENV.describe(),
    parse: parseHealthMonitorConfig,
  });
  const logger = createLogger({ name: HEALTH_MONITOR_SERVICE, level: config.logLevel });
  void runService({ name: HEALTH_MONITOR_SERVICE, logger, create: () => createHealthMonitor(config, { logger }) });
}

main();
