// The alert service process: environment -> config -> createAlertService -> run. The only file that reads process.env.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { ALERT_SERVICE, createAlertService } from './alert-service';
import { ALERT_SERVICE_ENV, loadSeedRules, parseAlertServiceConfig } from './config';

function main(): void {
  const loaded = loadServiceConfig({
    name: ALERT_SERVICE,
    summary: 'Turns market, portfolio and risk events into durable alerts, serves the alert REST API and delivers webhook notifications.',
    variables: ALERT_SERVICE_ENV.describe(),
    parse: (env) => {
      const parsed = parseAlertServiceConfig(env);
      return { config: parsed, seedRules: parsed.seed ? loadSeedRules(parsed.seedFile) : [] };
    },
  });
  const { config } = loaded;
  // Handed to the service once: after the first start seeded them, 100,000 seed rules are not kept twice.
  let seedRules: typeof loaded.seedRules | undefined = loaded.seedRules;
  loaded.seedRules = [];
  const logger = createLogger({ name: ALERT_SERVICE, level: config.logLevel });
  logger.info(
    { redis: config.redis.main.displayUrl, instance: config.instanceId, port: config.port, webhooks: config.notifications.targets.map((target) => target.name) },
    'starting alert service',
  );
  void runService({
    name: ALERT_SERVICE,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    create: () => {
      const rules = seedRules ?? [];
      seedRules = undefined;
      return createAlertService(config, { logger, seedRules: rules });
    },
  });
}

main();
