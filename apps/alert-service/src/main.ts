// The alert service process: environment -> config -> createAlertService -> run. The only file that reads process.env.
import { ConfigError, createLogger } from '@rebal/redis-client';
import { runService } from '@rebal/service-kit';
import { ALERT_SERVICE, createAlertService } from './alert-service';
import { loadSeedRules, parseAlertServiceConfig, type AlertServiceConfig } from './config';
import type { RuleDefinition } from './rules';

function main(): void {
  let config: AlertServiceConfig;
  let seedRules: RuleDefinition[];
  try {
    config = parseAlertServiceConfig(process.env);
    seedRules = config.seed ? loadSeedRules(config.seedFile) : [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One clear line naming the variable; never a secret's value.
    process.stderr.write(`${ALERT_SERVICE}: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ name: ALERT_SERVICE, level: config.logLevel });
  logger.info(
    { redis: config.redis.main.displayUrl, instance: config.instanceId, port: config.port, webhooks: config.notifications.targets.map((target) => target.name) },
    'starting alert service',
  );
  const settings = config;
  void runService({
    name: ALERT_SERVICE,
    logger,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    create: () => createAlertService(settings, { logger, seedRules }),
  });
}

main();
