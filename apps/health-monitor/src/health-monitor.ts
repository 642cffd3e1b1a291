import {
  Cache,
  ConnectionState,
  counter,
  createLogger,
  createRedisConnection,
  duplicateConnection,
  HeartbeatPublisher,
  histogram,
  runPeriodicTask,
  StreamPublisher,
  STREAMS,
  streamKey,
  waitUntilReady,
  type Logger,
  type RedisConnection,
} from '@rebal/redis-client';
import { closeAll, createHttpApp, listen, type ListeningServer, type Service } from '@rebal/service-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HeartbeatConsumer, HeartbeatRegistry, withTimeout } from './collectors';
import type { HealthMonitorConfig } from './config';
import { FeedAnnouncer, FeedWatcher, registerFeedMetrics, type FeedReport } from './feeds';
import { HealthCheck, type CheckOutcome } from './health-check';
import { monitorReadiness, statusRoutes } from './http';
import { registerHealthMetrics } from './metrics';
import { HEALTH_CACHE_NAMESPACE, monitorKeys, redisAddress, watchedStreams } from './monitor-keys';
import { instancesToForget, LeaseLostError, planReaping, Reaper, RedisLease } from './reaper';
import { scopeStatuses, StatusAnnouncer, type HealthSnapshot } from './status';

/** Service name of the monitor's own heartbeats and events. */
export const HEALTH_MONITOR_SERVICE = 'health-monitor';

/** CloudEvents `source` of the monitor's events (`system_status`, `feed_status`). */
const SOURCE = `/${HEALTH_MONITOR_SERVICE}`;

/** Options of {@link createHealthMonitor} besides the configuration. */
export interface CreateHealthMonitorOptions {
  /** Logger (default: a pino JSON logger at `config.logLevel`). */
  logger?: Logger;
  /** Registry served at `/metrics` (default: a new one with prom-client's default metrics). */
  registry?: Registry;
  /** How long `start()` waits for Redis before starting in degraded mode, in ms (default 5000). */
  startupTimeoutMs?: number;
  /** The monitor's wall clock, Unix ms (default `Date.now`): tests set one that is off. */
  now?: () => number;
}

/** A running health monitor. */
export interface HealthMonitor extends Service {
  /** The HTTP port (after `start()`; useful with port 0). */
  readonly port: number;
  /** The registry served at `/metrics`. */
  readonly registry: Registry;
  /** True while this replica holds the housekeeping lease. */
  readonly isLeader: boolean;
  /** The latest snapshot, undefined before the first check. */
  latest(): HealthSnapshot | undefined;
}

/** Closes a connection: QUIT when it is up (bounded), a plain disconnect otherwise. */
async function closeConnection(conn: RedisConnection): Promise<void> {
  if (conn.status === 'end') return;
  if (conn.status !== 'ready') {
    conn.disconnect();
    return;
  }
  await withTimeout(conn.quit(), 1_000, 'QUIT').catch(() => conn.disconnect());
}

/**
 * Wires the health monitor: Redis connections, the heartbeat consumer (group `health-monitor`),
 * the periodic check (collect → evaluate → snapshot), the lease holder's housekeeping
 * (announcing transitions as `system_status`, reaping gone instances, caching the snapshot),
 * its own heartbeat and the HTTP surface. Nothing runs before `start()`; `close()` undoes
 * everything, also after a failed start. The monitor stays up while Redis is down and
 * reports it.
 */
export function createHealthMonitor(config: HealthMonitorConfig, options: CreateHealthMonitorOptions = {}): HealthMonitor {
  const logger = options.logger ?? createLogger({ name: HEALTH_MONITOR_SERVICE, level: config.logLevel });
  const registry = options.registry ?? new Registry();
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  const prefix = config.redis.streamPrefix;
  const keys = monitorKeys(prefix);

  const redis = createRedisConnection(config.redis.main, { name: HEALTH_MONITOR_SERVICE, logger, lazyConnect: true });
  const blocking = duplicateConnection(redis, { name: `${HEALTH_MONITOR_SERVICE}:heartbeats`, lazyConnect: true });
  const separateCache = config.redis.cache.displayUrl !== config.redis.main.displayUrl;
  const cacheRedis = separateCache ? createRedisConnection(config.redis.cache, { name: `${HEALTH_MONITOR_SERVICE}:cache`, logger, lazyConnect: true }) : redis;
  const state = new ConnectionState({ logger, name: HEALTH_MONITOR_SERVICE, registry });

  const heartbeats = new HeartbeatRegistry({ redis, key: keys.instances, ttlMs: config.reaper.forgetAfterMs });
  const publisher = new StreamPublisher({ redis, prefix, registry, logger });
  const lease = new RedisLease({ redis, key: keys.lease, owner: config.instanceId, ttlMs: config.reaper.leaseTtlMs, logger, registry, ...(options.now && { now: options.now }) });
  const announcer = new StatusAnnouncer({ redis, publisher, key: keys.announced, lease, source: SOURCE, registry, logger });
  const reaper = new Reaper({ redis, registry: heartbeats, lease, graceMs: config.reaper.graceMs, logger, metricsRegistry: registry });
  const cache = new Cache({ redis: cacheRedis, namespace: HEALTH_CACHE_NAMESPACE, defaultTtlSeconds: Math.ceil(config.snapshotTtlMs / 1000), registry, logger });
  const streams = watchedStreams(prefix, config.extraStreams);
  const feeds = new FeedWatcher({
    expectations: config.feeds.expectations,
    maxSubjects: config.feeds.maxSubjects,
    streams: streams.map((s) => ({ ...s, ...(Object.hasOwn(STREAMS, s.name) && { types: STREAMS[s.name as keyof typeof STREAMS].types }) })),
    cluster: config.redis.main.mode === 'cluster',
    connect: () => duplicateConnection(redis, { name: `${HEALTH_MONITOR_SERVICE}:feeds`, lazyConnect: true }),
    redisNowMs: (): number | undefined => check.knownRedisNowMs(),
    redisReady: () => state.isReady(),
    announcer: new FeedAnnouncer({ redis, publisher, key: keys.staleFeeds, lease, source: SOURCE, prefix, registry, logger }),
    lease,
    ownSource: SOURCE,
    logger,
    registry,
  });
  registerFeedMetrics({ registry, watcher: feeds, redisNowMs: () => check.knownRedisNowMs(), streamKeys: new Map(streams.map((s) => [s.name, s.key])) });
  const check = new HealthCheck({
    redis,
    heartbeats,
    streams,
    redisMode: config.redis.main.mode,
    redisAddress: redisAddress(config.redis.main),
    timeoutMs: config.checkTimeoutMs,
    thresholds: config.thresholds,
    expectedServices: config.heartbeats.expectedServices,
    heartbeatsObserved: () => consumer.reading,
    heartbeatTimeoutMs: config.heartbeats.timeoutMs,
    goneAfterMs: config.reaper.graceMs,
    monitor: { instance: config.instanceId, version: config.version },
    isLeader: () => lease.held,
    feeds: (): FeedReport[] => feeds.report(),
    logger,
    ...(options.now && { now: options.now }),
  });

  let latest: HealthSnapshot | undefined;
  let consumerStarted = false;
  let streamsAnnounced = false;
  const announceStreams = (): void => {
    if (streamsAnnounced || !consumerStarted || !state.isReady()) return;
    streamsAnnounced = true;
    logger.info({ redis: config.redis.main.displayUrl }, 'Redis Streams initialized successfully');
  };
  state.on('change', (status) => {
    if (status === 'ready') announceStreams();
    else streamsAnnounced = false;
  });

  const consumer = new HeartbeatConsumer({
    redis,
    blockingRedis: blocking,
    stream: streamKey('service_heartbeats', prefix),
    consumer: config.instanceId,
    registry: heartbeats,
    logger,
    metricsRegistry: registry,
    onStarted: () => {
      consumerStarted = true;
      announceStreams();
      // Beat once the monitor does its job: a first beat before it reads would say "degraded".
      ownHeartbeat.start();
    },
  });
  const ownHeartbeat = new HeartbeatPublisher({
    publisher,
    service: HEALTH_MONITOR_SERVICE,
    instance: config.instanceId,
    version: config.version,
    intervalMs: config.heartbeats.intervalMs,
    status: () => (consumer.reading ? 'healthy' : 'degraded'),
    details: () => ({ leader: lease.held, systemStatus: latest?.status ?? 'unknown', lastCheckAt: latest?.checkedAt ?? null }),
    logger,
    registry,
  });

  registerHealthMetrics({ registry, latest: () => latest, db: config.redis.main.db });
  const checks = counter({ name: 'rebal_health_checks_total', help: 'Checks completed', registry });
  const checkFailures = counter({ name: 'rebal_health_check_failures_total', help: 'Checks that failed unexpectedly (Redis failures are findings, not failures)', registry });
  const checkDuration = histogram({
    name: 'rebal_health_check_duration_seconds',
    help: 'Duration of one full check (Redis, streams, heartbeats, evaluation)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registry,
  });

  /**
   * The lease holder's duties after a check. Each write checks the lease first (a run can
   * outlive its lease), so the run stops where the lease was lost. Reaping needs heartbeats
   * observed without a break (Redis reachable and the heartbeat reader reading): otherwise every
   * instance would look silent. Times are on the Redis clock, the clock of the heartbeats.
   */
  async function housekeeping(outcome: CheckOutcome): Promise<void> {
    const { snapshot, observingSinceMs } = outcome;
    try {
      await announcer.announce(scopeStatuses(snapshot));
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logger.warn({ key: error.key }, 'lost the housekeeping lease while announcing; stopped');
        return;
      }
      logger.warn({ err: error }, 'announcing status changes failed; retrying at the next check');
    }
    if (config.reaper.enabled && observingSinceMs !== undefined) {
      const nowMs = check.redisNowMs();
      const actions = planReaping({ streams: snapshot.streams, records: outcome.records, nowMs, graceMs: config.reaper.graceMs, observingSinceMs });
      const forget = instancesToForget(outcome.records, nowMs, config.reaper.forgetAfterMs);
      if ((await reaper.run(actions, forget, nowMs)).leaseLost) return;
    }
    lease.assertHeld();
    await cache.set(keys.snapshot, snapshot);
  }

  async function checkPass(): Promise<void> {
    const outcome = await check.run();
    const previous = latest;
    latest = outcome.snapshot;
    checks.inc();
    checkDuration.observe(outcome.snapshot.durationMs / 1000);
    if (previous?.status !== latest.status) {
      const level = latest.status === 'healthy' ? 'info' : 'warn';
      logger[level]({ from: previous?.status ?? 'unknown', to: latest.status, reasons: latest.reasons.map((r) => r.code) }, `system status ${latest.status}: ${latest.reason}`);
    }
    if (!outcome.snapshot.redis.nodes.some((node) => node.reachable) || !lease.held) return;
    await housekeeping(outcome).catch((error: unknown) => {
      if (!(error instanceof LeaseLostError)) throw error;
    });
  }

  const abort = new AbortController();
  const loops: Array<Promise<void>> = [];
  let server: ListeningServer | undefined;
  let closing: Promise<void> | undefined;

  return {
    get port() {
      return server?.port ?? 0;
    },
    registry,
    get isLeader() {
      return lease.held;
    },
    latest: () => latest,

    async start() {
      const app = createHttpApp({ registry, logger, readiness: monitorReadiness(state, () => consumer.reading), routes: statusRoutes(() => latest, config.corsOrigins) });
      server = await listen(app, config.port, config.host);
      logger.info({ port: server.port, redis: config.redis.main.displayUrl, instance: config.instanceId }, 'health monitor listening');
      state.watch(redis);
      try {
        await Promise.all([waitUntilReady(redis, options.startupTimeoutMs ?? 5_000), separateCache ? waitUntilReady(cacheRedis, options.startupTimeoutMs ?? 5_000) : undefined]);
      } catch (error) {
        logger.warn({ err: error }, 'Redis is not reachable yet; starting in degraded mode and reporting it');
      }
      await lease.refresh();
      consumer.start();
      feeds.start();
      const leaseInterval = Math.max(50, Math.floor(config.reaper.leaseTtlMs / 3));
      loops.push(
        runPeriodicTask({ name: 'health check', intervalMs: config.checkIntervalMs, signal: abort.signal, logger, task: checkPass, onFailure: () => checkFailures.inc() }),
        runPeriodicTask({
          name: 'lease',
          intervalMs: leaseInterval,
          immediate: false,
          signal: abort.signal,
          logger,
          task: async () => {
            await lease.refresh();
          },
        }),
      );
    },

    close() {
      closing ??= (async () => {
        abort.abort();
        const failures = await closeAll(
          [
            ['periodic tasks', () => Promise.all(loops)],
            ['connection state', () => state.close()],
            ['heartbeat consumer', () => consumer.stop()],
            ['feed watcher', () => feeds.stop()],
            ['own heartbeat', () => ownHeartbeat.stop()],
            ['lease', () => lease.release()],
            ['cache', () => cache.close()],
            ['http server', () => server?.close(2_000)],
            // The runner disconnects it when it ran; a second disconnect would leave ioredis's close timer pending.
            ['blocking connection', () => (blocking.status === 'end' ? undefined : blocking.disconnect())],
            ['cache connection', () => (separateCache ? closeConnection(cacheRedis) : undefined)],
            ['redis connection', () => closeConnection(redis)],
          ],
          logger,
        );
        if (failures.length > 0) throw new AggregateError(failures.map((f) => f.error), `health monitor closed with ${failures.length} failure(s)`);
      })();
      return closing;
    },
  };
}
