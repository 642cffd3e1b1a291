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
  /** An instance silent this long is down (ms). */
  heartbeatTimeoutMs: number;
  /** An instance silent this long is gone (ms). */
  goneAfterMs: number;
  /** This replica, for the snapshot. */
  monitor: { instance: string; version: string };
  /** Whether this replica holds the lease now (for the snapshot). */
  isLeader: () => boolean;
  /** Logger (default: silent). */
  logger?: Logger;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

/** What one check produced: the snapshot, and the registry records behind its services (for reaping). */
export interface CheckOutcome {
  snapshot: HealthSnapshot;
  /** Every instance in the registry at this check (gone ones included). */
  records: InstanceRecord[];
  /** Since when heartbeats could be observed (the monitor's start, or Redis's last return), Unix ms. */
  observingSinceMs: number;
}

/**
 * One full check: Redis (PING + INFO per node), then the streams (two commands each) and the
 * heartbeat registry (one HGETALL) at once, then the pure evaluation. Keeps what must survive
 * between checks: the pending history (for "pending growing"), the last known services (shown,
 * marked by the Redis reason, while Redis is unreachable) and since when heartbeats could be
 * observed (silence during a Redis outage is nobody's fault, so the clock restarts on return).
 */
export class HealthCheck {
  private readonly options: HealthCheckOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private pendingHistory: PendingHistory = new Map();
  private services: ServiceStatusReport[] = [];
  private records: InstanceRecord[] = [];
  private observingSinceMs: number;
  private redisWasUnreachable = true;

  constructor(options: HealthCheckOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.observingSinceMs = this.now();
  }

  /** Runs one check. Never rejects for Redis failures: they are findings of the snapshot. */
  async run(): Promise<CheckOutcome> {
    const o = this.options;
    const startedAt = this.now();
    const redis = await collectRedis(o.redis, { mode: o.redisMode, address: o.redisAddress, timeoutMs: o.timeoutMs });
    const reachable = redis.nodes.some((node) => node.reachable);
    let streams: HealthSnapshot['streams'] = [];
    if (!reachable) {
      this.redisWasUnreachable = true;
    } else {
      if (this.redisWasUnreachable) {
        this.redisWasUnreachable = false;
        this.observingSinceMs = startedAt;
      }
      const serverNowMs = redis.nodes.find((node) => node.info?.serverTimeMs != null)?.info?.serverTimeMs ?? this.now();
      const [streamReports, records] = await Promise.all([
        collectStreams(o.redis, o.streams, { timeoutMs: o.timeoutMs, serverNowMs }),
        withTimeout(o.heartbeats.readAll(), o.timeoutMs, 'HGETALL heartbeat registry').catch((error: unknown) => {
          this.logger.warn({ err: error }, 'reading the heartbeat registry failed; using the previous one');
          return this.records;
        }),
      ]);
      streams = streamReports;
      this.records = records;
      this.services = evaluateServices({
        records,
        expected: o.expectedServices,
        nowMs: this.now(),
        timeoutMs: o.heartbeatTimeoutMs,
        goneAfterMs: o.goneAfterMs,
        observingSinceMs: this.observingSinceMs,
      });
    }
    const evaluation = evaluateHealth({ redis, streams, services: this.services }, o.thresholds, this.pendingHistory);
    this.pendingHistory = evaluation.pendingHistory;
    const finishedAt = this.now();
    const snapshot: HealthSnapshot = {
      status: evaluation.status,
      reason: evaluation.summary,
      reasons: evaluation.reasons,
      checkedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      monitor: { ...o.monitor, leader: o.isLeader() },
      redis,
      streams,
      services: this.services,
    };
    return { snapshot, records: this.records, observingSinceMs: this.observingSinceMs };
  }
}
