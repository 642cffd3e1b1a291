import type { RedisReport, StreamReport } from '../collectors';
import type { HealthThresholds } from '../config';
import { STATUS_SEVERITY, worst, type HealthStatus, type ServiceStatusReport, type StatusReason } from './health-snapshot';
import { isGrowing, pendingKey, updatePendingHistory, type PendingHistory } from './pending-trend';

/** What one check collected. */
export interface HealthFacts {
  redis: RedisReport;
  streams: readonly StreamReport[];
  services: readonly ServiceStatusReport[];
  /**
   * Set when the monitor's heartbeat reader has not read for longer than the heartbeat timeout
   * while Redis answers: for how long (ms). `services` are then the last ones it could judge.
   */
  heartbeatsUnobservedMs?: number;
}

/** Result of {@link evaluateHealth}. */
export interface HealthEvaluation {
  /** The worst status among the reasons, `healthy` without any. */
  status: HealthStatus;
  /** Every finding, worst first. */
  reasons: StatusReason[];
  /** A one-line summary for events and logs. */
  summary: string;
  /** The pending history to pass to the next evaluation. */
  pendingHistory: Map<string, number[]>;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 102.4) / 10} MiB`;
}

function redisReasons(redis: RedisReport, thresholds: HealthThresholds): StatusReason[] {
  const reasons: StatusReason[] = [];
  const reachable = redis.nodes.filter((node) => node.reachable);
  if (reachable.length === 0) {
    return [{ scope: 'redis', subject: 'redis', status: 'down', code: 'redis_unreachable', message: `Redis unreachable: ${redis.error ?? 'no node answered'}` }];
  }
  for (const node of redis.nodes) {
    const subject = node.address;
    if (!node.reachable || !node.info) {
      reasons.push({ scope: 'redis', subject, status: 'down', code: 'redis_node_unreachable', message: `Redis node ${subject} unreachable: ${node.error ?? 'no answer'}` });
      continue;
    }
    const { memory, persistence, cluster, replication } = node.info;
    if (cluster && cluster.state !== 'ok') {
      reasons.push({ scope: 'redis', subject, status: 'down', code: 'cluster_state', message: `Redis node ${subject} reports cluster_state:${cluster.state} (${cluster.slotsOk} of 16384 slots ok)` });
    }
    if (memory.maxBytes > 0 && memory.usedBytes > memory.maxBytes * thresholds.memoryShare) {
      reasons.push({
        scope: 'redis', subject, status: 'degraded', code: 'memory_high',
        message: `Redis ${subject} uses ${mib(memory.usedBytes)}, ${percent(memory.usedBytes / memory.maxBytes)} of maxmemory ${mib(memory.maxBytes)} (threshold ${percent(thresholds.memoryShare)})`,
      });
    }
    if (memory.policy && memory.policy !== 'noeviction') {
      reasons.push({
        scope: 'redis', subject, status: 'degraded', code: 'eviction_policy',
        message: `Redis ${subject} has maxmemory-policy ${memory.policy}, which can evict streams and alerts; set noeviction`,
      });
    }
    if (thresholds.requireAof && !persistence.aofEnabled) {
      reasons.push({ scope: 'redis', subject, status: 'degraded', code: 'aof_disabled', message: `Redis ${subject} runs without AOF (appendonly no): a restart loses recent events` });
    }
    if (persistence.aofEnabled && persistence.aofLastWriteStatus === 'err') {
      reasons.push({ scope: 'redis', subject, status: 'down', code: 'aof_write_failed', message: `Redis ${subject}: the last AOF write failed (aof_last_write_status:err); writes are refused` });
    }
    if (persistence.rdbLastBgsaveStatus === 'err') {
      reasons.push({ scope: 'redis', subject, status: 'degraded', code: 'rdb_bgsave_failed', message: `Redis ${subject}: the last RDB save failed (rdb_last_bgsave_status:err)` });
    }
    if (replication.masterLinkUp === false) {
      reasons.push({ scope: 'redis', subject, status: 'degraded', code: 'replication_link_down', message: `Redis replica ${subject} lost its link to master ${replication.masterHost}:${replication.masterPort}` });
    }
  }
  return reasons;
}

function streamReasons(streams: readonly StreamReport[], thresholds: HealthThresholds, history: PendingHistory): StatusReason[] {
  const reasons: StatusReason[] = [];
  for (const stream of streams) {
    if (stream.error) {
      reasons.push({ scope: 'stream', subject: stream.key, status: 'degraded', code: 'stream_error', message: `stream ${stream.key} cannot be read: ${stream.error}` });
    }
    for (const group of stream.groups) {
      const subject = `${stream.key}/${group.name}`;
      if (group.lag !== null && group.lag > thresholds.maxLag) {
        reasons.push({
          scope: 'stream', subject, status: 'degraded', code: 'group_lag',
          message: `group ${group.name} on ${stream.key} is ${group.lag}${group.lagEstimated ? ' (estimated)' : ''} entries behind (threshold ${thresholds.maxLag})`,
        });
      }
      const samples = history.get(pendingKey(stream.key, group.name));
      if (group.pending > 0 && isGrowing(samples, thresholds.pendingGrowthChecks)) {
        reasons.push({
          scope: 'stream', subject, status: 'degraded', code: 'pending_growing',
          message: `group ${group.name} on ${stream.key}: pending entries grew at ${thresholds.pendingGrowthChecks} checks in a row (${samples?.join(' → ')})`,
        });
      }
    }
  }
  return reasons;
}

function serviceReasons(services: readonly ServiceStatusReport[]): StatusReason[] {
  return services
    .filter((service) => service.status !== 'healthy')
    .map((service) => {
      const missing = service.status === 'down' && service.instances.length === 0;
      const code = service.status === 'degraded' ? 'service_degraded' : missing ? 'service_missing' : 'service_down';
      return { scope: 'service' as const, subject: service.service, status: service.status as StatusReason['status'], code, message: service.reason };
    });
}

function heartbeatReasons(unobservedMs: number | undefined): StatusReason[] {
  if (unobservedMs === undefined) return [];
  return [{
    scope: 'service', subject: 'health-monitor', status: 'degraded', code: 'heartbeats_unobserved',
    message: `the monitor's heartbeat reader has not read service_heartbeats for ${Math.round(unobservedMs / 100) / 10} s: service statuses are those of its last read (see its logs and /readyz)`,
  }];
}

/** A one-line summary of `reasons`: the first few messages, worst first. */
export function summarizeReasons(reasons: readonly StatusReason[], max = 3): string {
  if (reasons.length === 0) return 'all checks pass';
  const shown = reasons.slice(0, max).map((reason) => reason.message);
  const more = reasons.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/**
 * Judges one check's facts against the thresholds. Pure. Redis unreachable is `down` and,
 * since nothing else can be read then, the only reason; otherwise every finding about Redis,
 * the streams (lag above `maxLag`, pending growing at `pendingGrowthChecks` checks in a row,
 * unreadable streams), the services and the monitor's own heartbeat reader counts, and the
 * worst one is the overall status.
 */
export function evaluateHealth(facts: HealthFacts, thresholds: HealthThresholds, history: PendingHistory): HealthEvaluation {
  const redis = redisReasons(facts.redis, thresholds);
  if (redis.some((reason) => reason.code === 'redis_unreachable')) {
    return { status: 'down', reasons: redis, summary: summarizeReasons(redis), pendingHistory: new Map() };
  }
  const pendingHistory = updatePendingHistory(history, facts.streams, thresholds.pendingGrowthChecks);
  const reasons = [...redis, ...streamReasons(facts.streams, thresholds, pendingHistory), ...serviceReasons(facts.services), ...heartbeatReasons(facts.heartbeatsUnobservedMs)];
  // Stable sort: worst first, in the order found within one severity.
  reasons.sort((a, b) => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status]);
  const status = reasons.reduce<HealthStatus>((acc, reason) => worst(acc, reason.status), 'healthy');
  return { status, reasons, summary: summarizeReasons(reasons), pendingHistory };
}
