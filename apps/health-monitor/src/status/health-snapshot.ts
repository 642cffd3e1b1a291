import type { RedisReport, StreamReport } from '../collectors';
import type { FeedReport } from '../feeds/feed-watcher';

/** The three states of the system, a service or an instance (as in `system_status` events). */
export type HealthStatus = 'healthy' | 'degraded' | 'down';

/** Stable codes of the reasons a status is not healthy. */
export type ReasonCode =
  | 'redis_unreachable'
  | 'redis_node_unreachable'
  | 'cluster_state'
  | 'memory_high'
  | 'eviction_policy'
  | 'aof_disabled'
  | 'aof_write_failed'
  | 'rdb_bgsave_failed'
  | 'replication_link_down'
  | 'stream_error'
  | 'group_lag'
  | 'pending_growing'
  | 'service_missing'
  | 'service_down'
  | 'service_degraded'
  | 'heartbeats_unobserved';

/** Why the system is not healthy: one finding. */
export interface StatusReason {
  /** What the finding is about. */
  scope: 'redis' | 'stream' | 'service';
  /** The node, `stream/group` or service it concerns. */
  subject: string;
  /** How bad it is. */
  status: Exclude<HealthStatus, 'healthy'>;
  /** Stable code, e.g. `group_lag`. */
  code: ReasonCode;
  /** For people, with the numbers and the threshold. */
  message: string;
}

/** One instance of a service, from its heartbeats. */
export interface InstanceStatusReport {
  /** Instance id (pod name). */
  instance: string;
  /** `healthy` (up) or `degraded` as it reports itself, `down` when its heartbeats stopped. */
  status: HealthStatus;
  /** Version it reports. */
  version: string;
  /** RFC 3339 time it started. */
  startedAt: string;
  /** Uptime in its last heartbeat. */
  uptimeSeconds: number;
  /** RFC 3339 time of its last heartbeat. */
  lastHeartbeatAt: string;
  /** Seconds since then. */
  secondsSinceHeartbeat: number;
  /** What its last heartbeat reported besides the standard fields. */
  details?: Record<string, unknown>;
}

/** One service: its status and its instances that are not gone. */
export interface ServiceStatusReport {
  /** Service name. */
  service: string;
  /** `down` without a live instance, `degraded` with an instance down or degraded, else `healthy`. */
  status: HealthStatus;
  /** Why, for people. */
  reason: string;
  /** Whether it is listed in `HEALTH_EXPECTED_SERVICES`. */
  expected: boolean;
  /** Instances seen within the reap grace period. */
  instances: InstanceStatusReport[];
}

/** Everything one check found: what `GET /api/v1/status` returns and the cache holds. */
export interface HealthSnapshot {
  /** The system's overall status: the worst of its reasons. */
  status: HealthStatus;
  /** A one-line summary of the reasons (`all checks pass` when healthy). */
  reason: string;
  /** Every finding, worst first. */
  reasons: StatusReason[];
  /** RFC 3339 time of the check. */
  checkedAt: string;
  /** How long the check took in ms. */
  durationMs: number;
  /** The monitor replica that made it. */
  monitor: { instance: string; version: string; leader: boolean };
  /** Redis servers. */
  redis: RedisReport;
  /** Watched streams (empty while Redis is unreachable). */
  streams: StreamReport[];
  /** Services from their heartbeats (the last known state while Redis is unreachable or the monitor's heartbeat reader does not read). */
  services: ServiceStatusReport[];
  /** Watched feeds (`HEALTH_FEED_EXPECTATIONS`) as last judged, stale ones first. */
  feeds: FeedReport[];
  /** The limits this check judged by, so a reader (the console) can mark numbers past them as the monitor does. */
  thresholds: SnapshotThresholds;
}

/** The numeric limits of a check (the monitor's `HEALTH_*` settings). */
export interface SnapshotThresholds {
  /** A group with more unread entries than this is `group_lag` (`HEALTH_LAG_THRESHOLD`). */
  maxLag: number;
  /** A group whose pending count grew at this many consecutive checks is `pending_growing` (`HEALTH_PENDING_GROWTH_CHECKS`). */
  pendingGrowthChecks: number;
  /** Used memory above this share of `maxmemory` is `memory_high` (`HEALTH_MEMORY_THRESHOLD`). */
  memoryShare: number;
}

/** Worst-first order of statuses. */
export const STATUS_SEVERITY: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, down: 2 };

/** The worse of two statuses. */
export function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return STATUS_SEVERITY[a] >= STATUS_SEVERITY[b] ? a : b;
}
