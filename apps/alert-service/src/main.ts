// The alert service process: environment -> config -> createAlertService -> run. The only file that reads process.env.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { ALERT_SERVICE, createAlertService } from './alert-service';
import { ALERT_SERVICE_ENV, loadSeedRules, parseAlertServiceConfig } from './config';

function main(): void {
  const { config, seedRules } = loadServiceConfig({
    name: ALERT_SERVICE,
    summary: 'Turns market, portfolio and risk events into durable alerts, serves the alert REST API and delivers webhook notifications.',
    variables: ALERT_SERVICE_ENV.describe(),
    parse: (env) => {
      const parsed = parseAlertServiceConfig(env);
      return { config: parsed, seedRules: parsed.seed ? loadSeedRules(parsed.seedFile) : [] };
    },
  });
  const logger = createLogger({ name: ALERT_SERVICE, level: config.logLevel });
  logger.info(
    { redis: config.redis.main.displayUrl, instance: config.instanceId, port: config.port, webhooks: config.notifications.targets.map((target) => target.name) },
    'starting alert service',
  );
  void runService({
    name: ALERT_SERVICE,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    create: () => createAlertService(config, { logger, seedRules }),
  });
}

main();
