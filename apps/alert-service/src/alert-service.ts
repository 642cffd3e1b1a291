import { setTimeout as delay } from 'node:timers/promises';
import {
  ConnectionState,
  ConsumerGroupRunner,
  HeartbeatPublisher,
  runPeriodicTask,
  silentLogger,
  streamKey,
  StreamPublisher,
  STREAMS,
  waitUntilReady,
  type Logger,
  type StreamName,
} from '@rebal/redis-client';
import { closeAll, createHttpApp, createJwtVerifier, listen, type ListeningServer, type ReadinessReport, type Service } from '@rebal/service-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { API_BASE_PATH, createApiRouter } from './api';
import { loadSeedRules, type AlertServiceConfig } from './config';
import { NotificationDispatcher } from './notifications';
import { AlertProcessor, DeadLetterWriter, RulesProvider } from './processing';
import type { RuleDefinition } from './rules';
import { AlertStore } from './store';
import { AlertServiceError, createAlertNotifier, createSnoozeExpiryHandler, NOTIFIER_GROUP, openServiceConnections } from './service';

/** Service name in heartbeats, logs and connection names. */
export const ALERT_SERVICE = 'alert-service';
/** The consumer group that shows the alert tier's progress on every input stream (nothing is read through it). */
export const ALERT_CONSUMER_GROUP = 'alert-service';
/** The streams whose events the rules evaluate. */
export const INPUT_STREAMS = ['market_data', 'portfolio_updates', 'risk_events'] as const;

/** Options of {@link createAlertService} besides the configuration. */
export interface AlertServiceOptions {
  /** Logger (default: silent; `main.ts` passes a pino logger). */
  logger?: Logger;
  /** Registry of every metric and of `/metrics`, default metrics included (default: a new registry). */
  registry?: Registry;
  /** Rules seeded on the very first start (default: `loadSeedRules(config.seedFile)`; ignored when `config.seed` is false). */
  seedRules?: readonly RuleDefinition[];
}

/** The running alert service. */
export interface AlertService extends Service {
  /** The bound HTTP port. @throws AlertServiceError `ERR_ALERT_SERVICE_NOT_STARTED` before `start()` listened */
  port(): number;
  /** What `/readyz` reports: Redis reachable and the four consumers reading. */
  readiness(): ReadinessReport;
}

/**
 * Wires the alert service: Redis connections (a command connection, a blocking reader per
 * consumed stream, one for BullMQ), the store, the rules (followed through their change log),
 * the processor (partitions of the rule engine leased with the other replicas, market_data,
 * portfolio_updates and risk_events read with XREAD, the group `alert-service` moved along as
 * the tier's progress; timers, rule changes, ended snoozes, retention purge, alert gauges), the
 * notifier (group `alert-service.notifier` on `alerts`: every committed change marked `notify`
 * is enqueued for webhooks, every snooze schedules its expiry), the heartbeat, and HTTP
 * (`/livez`, `/readyz`, `/metrics`, the API at `/api/v1`).
 *
 * `start()` listens at once, then waits for Redis (degraded mode: `/readyz` 503, API 503),
 * seeds the rules on the very first start, takes the replica's share of the partitions and
 * starts reading; it resolves when the service is up. `close()` stops reading, finishes the
 * batch in hand, checkpoints and hands its partitions over, closes the dispatcher, HTTP and
 * Redis; idempotent.
 */
export function createAlertService(config: AlertServiceConfig, options: AlertServiceOptions = {}): AlertService {
  const logger = options.logger ?? silentLogger();
  const registry = options.registry ?? new Registry();
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  // Let go of once seeded: the rules are in Redis, and the engine keeps its own copy.
  let seedRules = config.seed ? (options.seedRules ?? loadSeedRules(config.seedFile)) : [];
  const prefix = config.redis.streamPrefix;
  const connections = openServiceConnections(config.redis, ALERT_SERVICE, [...INPUT_STREAMS, 'alerts'], logger);
  const redis = connections.command;
  const connectionState = new ConnectionState({ logger, name: ALERT_SERVICE, registry }).watch(redis);
  const store = new AlertStore({ redis, alertsStream: streamKey('alerts', prefix), retentionMs: config.retentionMs, rateLimitPolicy: config.rateLimits, registry, logger });
  const rulesProvider = new RulesProvider({ store, refreshIntervalMs: config.rulesRefreshIntervalMs, logger });
  const deadLetters = new DeadLetterWriter({ redis, group: ALERT_CONSUMER_GROUP, registry, logger });
  const processor = new AlertProcessor({
    store,
    rules: rulesProvider,
    redis,
    streams: INPUT_STREAMS.map((name) => ({ name, key: streamKey(name, prefix) })),
    group: ALERT_CONSUMER_GROUP,
    instanceId: config.instanceId,
    partitions: config.partitions,
    leaseTtlMs: config.consumer.claimIdleMs,
    blockMs: config.consumer.blockMs,
    tickIntervalMs: config.tickIntervalMs,
    purgeIntervalMs: config.purgeIntervalMs,
    maxClockSkewMs: config.maxClockSkewMs,
    deadLetters,
    registry,
    logger,
  });
  const { notifications } = config;
  const dispatcher = new NotificationDispatcher({
    connection: connections.bullmq,
    targets: notifications.targets,
    prefix: `{${prefix}rebal-notify}`,
    attempts: notifications.attempts,
    backoff: { baseMs: notifications.backoffBaseMs, maxMs: notifications.backoffMaxMs },
    concurrency: notifications.concurrency,
    onSnoozeExpired: createSnoozeExpiryHandler(store),
    registry,
    logger,
  });
  const runnerOptions = (stream: StreamName, group: string) => ({
    redis,
    blockingRedis: connections.readers.get(stream) as NonNullable<ReturnType<typeof connections.readers.get>>,
    stream: streamKey(stream, prefix),
    group,
    // An event of another stream's type (a foreign producer's XADD) is dead-lettered, never evaluated.
    types: STREAMS[stream].types,
    consumer: config.instanceId,
    concurrency: config.consumer.concurrency,
    claimIdleMs: config.consumer.claimIdleMs,
    claimIntervalMs: config.consumer.claimIntervalMs,
    maxDeliveries: config.consumer.maxDeliveries,
    blockMs: config.consumer.blockMs,
    ownsBlockingConnection: true,
    logger,
    registry,
  });
  const notifier = new ConsumerGroupRunner({ ...runnerOptions('alerts', NOTIFIER_GROUP), handler: createAlertNotifier({ dispatcher, logger }) });
  const readers = new Map(INPUT_STREAMS.map((stream) => [streamKey(stream, prefix), connections.readers.get(stream) as NonNullable<ReturnType<typeof connections.readers.get>>]));
  const consumersReading = () => (processor.reading ? INPUT_STREAMS.length : 0) + (notifier.reading ? 1 : 0);
  const consumerCount = INPUT_STREAMS.length + 1;
  const heartbeat = new HeartbeatPublisher({
    publisher: new StreamPublisher({ redis, prefix, registry, logger }),
    service: ALERT_SERVICE,
    instance: config.instanceId,
    version: config.version,
    intervalMs: config.heartbeatIntervalMs,
    status: () => (readiness().ready ? 'healthy' : 'degraded'),
    details: () => ({ consumersReading: consumersReading(), partitionsOwned: processor.owned.length }),
    logger,
    registry,
  });
  const app = createHttpApp({
    registry,
    logger,
    readiness: () => readiness(),
    routes: (routes) => {
      routes.use(
        API_BASE_PATH,
        createApiRouter({
          store,
          verifier: createJwtVerifier(config.auth),
          corsOrigins: config.corsOrigins,
          isRedisReady: () => connectionState.isReady(),
          onRulesChanged: () => rulesProvider.invalidate(),
          registry,
        }),
      );
    },
  });
  const abort = new AbortController();
  let listening: ListeningServer | undefined;
  let up = false;
  let starting: Promise<void> | undefined;
  let closing: Promise<void> | undefined;

  function readiness(): ReadinessReport {
    const reading = consumersReading();
    const redisReady = connectionState.isReady();
    return {
      ready: up && !closing && redisReady && reading === consumerCount,
      checks: { redis: connectionState.status, consumers: `${reading}/${consumerCount} reading`, partitions: `${processor.owned.length} owned`, accepting: closing ? 'no' : 'yes' },
    };
  }

  connectionState.on('change', (status) => {
    if (status === 'ready' && up && !closing) logger.info({ group: ALERT_CONSUMER_GROUP }, 'Redis Streams initialized successfully');
  });

  /** Waits for Redis, seeds, starts the consumers, the dispatcher and the ticker; retries until it succeeds or the service closes. */
  function bringUp(): Promise<void> {
    return runPeriodicTask({
      name: 'alert service start',
      intervalMs: 250,
      backoff: { baseMs: 250, maxMs: 5_000 },
      signal: abort.signal,
      logger,
      // A start that keeps failing is reported: the heartbeats say degraded meanwhile.
      onFailure: () => heartbeat.start(),
      task: async () => {
        await waitUntilReady(redis, 10_000);
        // The notifier's group exists before anything can commit a change, so none is missed.
        if (!abort.signal.aborted) await notifier.start();
        if (seedRules.length > 0 && !abort.signal.aborted) {
          const seeded = await store.seedIfEmpty(seedRules);
          seedRules = [];
          if (seeded > 0) logger.info({ rules: seeded }, 'seeded alert rules (first start)');
        }
        if (!abort.signal.aborted) await processor.start(readers);
        if (!abort.signal.aborted) await dispatcher.start();
        if (abort.signal.aborted) return 'done';
        up = true;
        logger.info({ group: ALERT_CONSUMER_GROUP, streams: [...readers.keys(), notifier.stream], partitions: processor.owned }, 'Redis Streams initialized successfully');
        // The first heartbeat says healthy: beating before the consumers run would announce a
        // degraded service on every start.
        heartbeat.start();
        return 'done';
      },
    });
  }

  async function shutdown(): Promise<void> {
    abort.abort();
    logger.info({ instance: config.instanceId }, 'alert service shutting down');
    const serverClosed = listening?.close(2_000);
    const failures = await closeAll(
      [
        ['stop evaluating and hand the partitions over', () => processor.stop()],
        ['stop notifier consumer', () => notifier.stop()],
        ['stop heartbeats', () => heartbeat.stop()],
        ['close notification dispatcher', () => Promise.race([dispatcher.close(), delay(4_000, undefined, { ref: false })])],
        ['close HTTP server', () => serverClosed],
        ['stop watching Redis', () => connectionState.close()],
        ['close Redis connections', () => connections.close()],
      ],
      logger,
    );
    if (failures.length > 0) {
      throw new AlertServiceError('ERR_ALERT_SERVICE_CLOSE', `shutdown steps failed: ${failures.map((failure) => failure.step).join(', ')}`, { cause: failures[0]?.error });
    }
    logger.info('alert service stopped');
  }

  return {
    start() {
      if (closing) return Promise.reject(new AlertServiceError('ERR_ALERT_SERVICE_CLOSED', 'the alert service was closed; create a new one'));
      starting ??= (async () => {
        listening = await listen(app, config.port, config.host);
        logger.info({ port: listening.port, instance: config.instanceId }, 'alert service listening');
        await bringUp();
      })();
      return starting;
    },
    close: () => (closing ??= shutdown()),
    port() {
      if (!listening) throw new AlertServiceError('ERR_ALERT_SERVICE_NOT_STARTED', 'the alert service is not listening yet; await start()');
      return listening.port;
    },
    readiness,
  };
}
