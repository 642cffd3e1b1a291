// The streaming gateway process: environment -> config -> createStreamingGateway -> run.
import { ConfigError, createLogger } from '@rebal/redis-client';
import { runService } from '@rebal/service-kit';
import { parseGatewayConfig } from './config';
import { createStreamingGateway, GATEWAY_SERVICE } from './gateway';

function main(): void {
  let config;
  try {
    config = parseGatewayConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One clear line naming the variable; never a secret's value.
    process.stderr.write(`${GATEWAY_SERVICE}: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ name: GATEWAY_SERVICE, level: config.logLevel });
  logger.info({ redis: config.redis.main.displayUrl, instance: config.instanceId, port: config.port }, 'starting streaming gateway');
  void runService({
    name: GATEWAY_SERVICE,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    create: () => createStreamingGateway(config, { logger }),
  });
}

main();
