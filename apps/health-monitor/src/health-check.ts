import { performance } from 'node:perf_hooks';
import { silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import {
  collectRedis,
  collectStreams,
  withTimeout,
  type HeartbeatRegistry,
  type InstanceRecord,
  type RedisReport,
  type WatchedStream,
} from './collectors';
import type { HealthThresholds } from './config';
import type { FeedReport } from './feeds';
import { evaluateHealth, evaluateServices, type HealthSnapshot, type PendingHistory, type ServiceStatusReport } from './status';

/** Options of {@link HealthCheck}. */
export interface HealthCheckOptions {
  /** Command connection to the monitored Redis (not owned). */
  redis: RedisConnection;
  /** The shared heartbeat registry. */
  heartbeats: HeartbeatRegistry;
  /** Streams to inspect. */
  streams: readonly WatchedStream[];
  /** How the monitor connects, and the label of a single server (`host:port` or `sentinel/<name>`). */
  redisMode: RedisReport['mode'];
  redisAddress: string;
  /** Deadline of the check's Redis commands in ms. */
  timeoutMs: number;
  /** Thresholds of the evaluation. */
  thresholds: HealthThresholds;
  /** Services that must be running. */
  expectedServices: readonly string[];
  /**
   * Whether the monitor's heartbeat reader reads now (`HeartbeatConsumer.reading`). While it
   * does not, silence cannot be observed: the services keep their last verdicts.
   */
  heartbeatsObserved: () => boolean;
  /** An instance silent this long is down (ms). */
  heartbeatTimeoutMs: number;
  /** An instance silent this long is gone (ms). */
  goneAfterMs: number;
  /** This replica, for the snapshot. */
  monitor: { instance: string; version: string };
  /** Whether this replica holds the lease now (for the snapshot). */
  isLeader: () => boolean;
  /** The watched feeds as last judged (for the snapshot; default none). */
  feeds?: () => FeedReport[];
  /** Logger (default: silent). */
  logger?: Logger;
  /** The monitor's wall clock, only for the snapshot's `checkedAt` and a server without `server_time_usec` (default `Date.now`). */
  now?: () => number;
}

/** What one check produced: the snapshot, and the registry records behind its services (for reaping). */
export interface CheckOutcome {
  snapshot: HealthSnapshot;
  /** Every instance in the registry at this check (gone ones included). */
  records: InstanceRecord[];
  /**
   * Since when heartbeats have been observed without a break (Redis reachable and the heartbeat
   * reader reading), on the Redis clock, Unix ms; undefined while they are not: nothing may be
   * reaped then, since every instance would look silent.
   */
  observingSinceMs?: number;
}

/** The Redis clock as last read: its time then, and the monitor's monotonic time when it was read. */
interface RedisClockReading {
  redisMs: number;
  atMonotonicMs: number;
}

/**
 * One full check: Redis (PING + INFO per node), then the streams (two commands each) and the
 * heartbeat registry (one HGETALL) at once, then the pure evaluation. Keeps what must survive
 * between checks: the pending history (for "pending growing"), the last known services (shown
 * while Redis is unreachable, marked by the Redis reason, and while the heartbeat reader does
 * not read) and since when heartbeats have been observed (silence the monitor could not observe
 * is nobody's fault, so the count restarts when Redis and the reader are back).
 *
 * One clock: heartbeat times are stream entry ids, stamped by Redis, so every comparison with
 * them uses the Redis clock: `server_time_usec` of the check's INFO, carried forward with the
 * monitor's monotonic clock ({@link HealthCheck.redisNowMs}). The monitor's own wall clock only
 * dates the snapshot.
 */
export class HealthCheck {
  private readonly options: HealthCheckOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private pendingHistory: PendingHistory = new Map();
  private services: ServiceStatusReport[] = [];
  private records: InstanceRecord[] = [];
  private clock?: RedisClockReading;
  private observingSinceMs?: number;
  private unobservedSinceMs?: number;

  constructor(options: HealthCheckOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
  }

  /**
   * Now on the Redis clock, Unix ms: the server time of the last check's INFO plus the
   * monotonic time since. Before any check reached Redis (or with a server that does not
   * report `server_time_usec`), the monitor's own clock.
   */
  redisNowMs(): number {
    return this.clock ? this.clock.redisMs + (performance.now() - this.clock.atMonotonicMs) : this.now();
  }

  /** Now on the Redis clock as {@link redisNowMs}, or undefined before a check read the server's time (nothing may be judged on the monitor's own clock). */
  knownRedisNowMs(): number | undefined {
    return this.clock ? this.redisNowMs() : undefined;
  }

  /** Runs one check. Never rejects for Redis failures: they are findings of the snapshot. */
  async run(): Promise<CheckOutcome> {
    const o = this.options;
    const startedAt = performance.now();
    const redis = await collectRedis(o.redis, { mode: o.redisMode, address: o.redisAddress, timeoutMs: o.timeoutMs });
    const reachable = redis.nodes.some((node) => node.reachable);
    let streams: HealthSnapshot['streams'] = [];
    let heartbeatsUnobservedMs: number | undefined;
    if (!reachable) {
      this.observingSinceMs = undefined;
      this.unobservedSinceMs = undefined;
    } else {
      const serverTimeMs = redis.nodes.find((node) => node.info?.serverTimeMs != null)?.info?.serverTimeMs;
      this.clock = serverTimeMs == null ? undefined : { redisMs: serverTimeMs, atMonotonicMs: performance.now() };
      const serverNowMs = this.redisNowMs();
      // Read before the registry: a heartbeat recorded after this read is still counted.
      const observed = o.heartbeatsObserved();
      const [streamReports, records] = await Promise.all([
        collectStreams(o.redis, o.streams, { timeoutMs: o.timeoutMs, serverNowMs }),
        withTimeout(o.heartbeats.readAll(), o.timeoutMs, 'HGETALL heartbeat registry').catch((error: unknown) => {
          this.logger.warn({ err: error }, 'reading the heartbeat registry failed; using the previous one');
          return this.records;
        }),
      ]);
      streams = streamReports;
      this.records = records;
      if (observed) {
        this.unobservedSinceMs = undefined;
        this.observingSinceMs ??= serverNowMs;
        this.services = evaluateServices({
          records,
          expected: o.expectedServices,
          nowMs: this.redisNowMs(),
          timeoutMs: o.heartbeatTimeoutMs,
          goneAfterMs: o.goneAfterMs,
          observingSinceMs: this.observingSinceMs,
        });
      } else {
        // The registry stops moving when the reader stops: every instance would look silent.
        this.observingSinceMs = undefined;
        this.unobservedSinceMs ??= serverNowMs;
        const unobservedMs = this.redisNowMs() - this.unobservedSinceMs;
        if (unobservedMs > o.heartbeatTimeoutMs) heartbeatsUnobservedMs = unobservedMs;
      }
    }
    const evaluation = evaluateHealth({ redis, streams, services: this.services, ...(heartbeatsUnobservedMs !== undefined && { heartbeatsUnobservedMs }) }, o.thresholds, this.pendingHistory);
    this.pendingHistory = evaluation.pendingHistory;
    const finishedAt = performance.now();
    const snapshot: HealthSnapshot = {
      status: evaluation.status,
      reason: evaluation.summary,
      reasons: evaluation.reasons,
      checkedAt: new Date(this.now()).toISOString(),
      durationMs: finishedAt - startedAt,
      monitor: { ...o.monitor, leader: o.isLeader() },
      redis,
      streams,
      services: this.services,
      feeds: o.feeds?.() ?? [],
      thresholds: { maxLag: o.thresholds.maxLag, pendingGrowthChecks: o.thresholds.pendingGrowthChecks, memoryShare: o.thresholds.memoryShare },
    };
    return { snapshot, records: this.records, ...(this.observingSinceMs !== undefined && { observingSinceMs: this.observingSinceMs }) };
  }
}
