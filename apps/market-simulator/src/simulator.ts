import {
  ConnectionState,
  createEvent,
  createLogger,
  createRedisConnection,
  counter,
  HeartbeatPublisher,
  StreamPublisher,
  type Logger,
} from '@rebal/redis-client';
import { closeAll, createHttpApp, listen, type ListeningServer, type Service } from '@rebal/service-kit';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { SimulatorConfig } from './config/simulator-config';
import { symbolRoutes } from './http/symbol-routes';
import { Market } from './simulation/market';
import { seededRandom } from './simulation/random-walk';

const SOURCE = '/market-simulator';

/**
 * The market simulator: publishes `price_update` events at a steady rate (a random walk per
 * symbol), and every snapshot interval a `portfolio_snapshot` and `risk_metric` events per
 * demo portfolio. Publishing failures while Redis is away are counted and skipped; it goes
 * on when Redis returns. With `control` on, one symbol's price events can be paused and
 * resumed over HTTP (`symbolRoutes`), to show a stale feed.
 */
export function createMarketSimulator(config: SimulatorConfig, logger: Logger = createLogger({ name: 'market-simulator', level: config.logLevel })): Service & { port(): number } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const redis = createRedisConnection(config.redis.main, { name: 'market-simulator', logger });
  const state = new ConnectionState({ logger, name: 'market-simulator', registry }).watch(redis);
  const publisher = new StreamPublisher({ redis, prefix: config.redis.streamPrefix, registry, logger });
  const heartbeat = new HeartbeatPublisher({ publisher, service: 'market-simulator', instance: config.instanceId, version: config.version, logger, registry });
  const market = new Market(config.symbols, seededRandom(config.seed));
  const failures = counter({ name: 'rebal_simulator_publish_failures_total', help: 'Simulated events that could not be published.', labelNames: ['stream'], registry });
  const timers: NodeJS.Timeout[] = [];
  const paused = new Set<string>();
  let http: ListeningServer | undefined;
  let closing: Promise<void> | undefined;
  let tick = 0;

  const publish = async (stream: string, event: ReturnType<typeof createEvent>) => {
    if (!state.isReady()) return failures.inc({ stream });
    try {
      await publisher.publish(stream, event);
    } catch (error) {
      failures.inc({ stream });
      logger.debug({ err: error, stream }, 'publish failed');
    }
  };

  // Price events go out in small batches every 100 ms (or once per event below 10/s).
  const batchMs = config.ratePerSecond >= 10 ? 100 : Math.round(1000 / config.ratePerSecond);
  const perBatch = Math.max(1, Math.round((config.ratePerSecond * batchMs) / 1000));
  const dtSeconds = (config.timeScale * batchMs) / 1000 / Math.max(1, perBatch / config.symbols.length);

  const publishPrices = () => {
    for (let i = 0; i < perBatch; i++) {
      const data = market.tick(tick++, dtSeconds);
      if (paused.has(data.symbol)) continue;
      void publish('market_data', createEvent({ type: 'price_update', source: SOURCE, subject: data.symbol, data }));
    }
  };
  const publishPortfolios = () => {
    for (const portfolio of config.portfolios) {
      const data = market.snapshot(portfolio);
      void publish('portfolio_updates', createEvent({ type: 'portfolio_snapshot', source: SOURCE, subject: portfolio.portfolioId, data }));
      for (const metric of market.riskMetrics(portfolio)) {
        void publish('risk_events', createEvent({ type: 'risk_metric', source: SOURCE, subject: portfolio.portfolioId, data: metric }));
      }
    }
  };

  return {
    async start() {
      const app = createHttpApp({
        registry,
        logger,
        readiness: () => ({ ready: state.isReady(), checks: { redis: state.status } }),
        ...(config.control && { routes: symbolRoutes(config.symbols.map((s) => s.symbol), paused, logger) }),
      });
      http = await listen(app, config.port, config.host);
      heartbeat.start();
      timers.push(setInterval(publishPrices, batchMs), setInterval(publishPortfolios, config.snapshotIntervalMs));
      logger.info(
        { port: http.port, symbols: config.symbols.map((s) => s.symbol), rate: config.ratePerSecond, portfolios: config.portfolios.length, seed: config.seed },
        'market simulator listening',
      );
    },
    port: () => http?.port ?? config.port,
    close() {
      closing ??= (async () => {
        timers.forEach(clearInterval);
        await closeAll(
          [
            ['heartbeat', () => heartbeat.stop()],
            ['http', () => http?.close()],
            ['connection state', () => state.close()],
            ['redis', () => redis.quit()],
          ],
          logger,
        );
      })();
      return closing;
    },
  };
}
