// The streaming gateway process: environment -> config -> createStreamingGateway -> run.
import { createLogger } from '@rebal/redis-client';
import { loadServiceConfig, runService } from '@rebal/service-kit';
import { GATEWAY_ENV, parseGatewayConfig } from './config';
import { createStreamingGateway, GATEWAY_SERVICE } from './gateway';

function main(): void {
  const config = loadServiceConfig({
    name: GATEWAY_SERVICE,
    summary: 'Pushes the platform\'s Redis streams to authenticated WebSocket clients at /ws, with gapless resume, and serves the live dashboard at /.',
    variables: GATEWAY_ENV.describe(),
    parse: parseGatewayConfig,
  });
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
