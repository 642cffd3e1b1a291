import type { ServiceSettings } from '@rebal/service-kit';
import type { RedisConfig } from '@rebal/redis-client';
import type { FeedExpectations } from '../feeds/feed-expectations';

/** Limits that turn facts into `degraded` or `down` (see `evaluateHealth`). */
export interface HealthThresholds {
  /** A group with more unread entries (lag) than this is a problem (`HEALTH_LAG_THRESHOLD`, default 1000). */
  maxLag: number;
  /** A group whose pending count grew at this many consecutive checks is a problem (`HEALTH_PENDING_GROWTH_CHECKS`, default 5). */
  pendingGrowthChecks: number;
  /** Used memory above this share of `maxmemory` is a problem (`HEALTH_MEMORY_THRESHOLD`, default 0.8). */
  memoryShare: number;
  /** Redis without AOF is a problem (`HEALTH_REQUIRE_AOF`, default true). */
  requireAof: boolean;
}

/** What the monitor knows about services and their heartbeats. */
export interface HeartbeatSettings {
  /** Interval of the monitor's own heartbeat in ms (`HEARTBEAT_INTERVAL`, default 5000). */
  intervalMs: number;
  /** An instance with no heartbeat for this long is down, in ms (`HEALTH_HEARTBEAT_TIMEOUT`, default 15000). */
  timeoutMs: number;
  /** Services that must be running (`HEALTH_EXPECTED_SERVICES`, default alert-service, streaming-gateway). */
  expectedServices: string[];
}

/** Housekeeping done by the lease holder. */
export interface ReaperSettings {
  /** Whether the lease holder reaps at all (`HEALTH_REAP_ENABLED`, default true). */
  enabled: boolean;
  /** An instance silent this long is gone and its groups are reaped, in ms (`HEALTH_REAP_GRACE`, default 60000). */
  graceMs: number;
  /** A gone instance is forgotten after this long, in ms (`HEALTH_FORGET_AFTER`, default 24 h). */
  forgetAfterMs: number;
  /** Lease lifetime in ms (`HEALTH_LEASE_TTL`, default 15000). */
  leaseTtlMs: number;
}

/** Feed freshness: what is watched, and the cap on subjects. */
export interface FeedSettings {
  /** Expected interval per stream and subject (`HEALTH_FEED_EXPECTATIONS`, default every `market_data` symbol once seen, 5 s). */
  expectations: FeedExpectations;
  /** Most subjects learned from events (`HEALTH_FEED_MAX_SUBJECTS`, default 1000). */
  maxSubjects: number;
}

/** The health monitor's whole configuration, parsed once from the environment by `parseHealthMonitorConfig`. */
export interface HealthMonitorConfig extends ServiceSettings {
  /** Redis connections and stream prefix (`parseRedisConfig`). */
  redis: RedisConfig;
  /** Pause between checks in ms (`HEALTH_CHECK_INTERVAL`, default 5000). */
  checkIntervalMs: number;
  /** Deadline of one check's Redis commands in ms (`HEALTH_CHECK_TIMEOUT`, default 3000). */
  checkTimeoutMs: number;
  /** TTL of the cached snapshot in ms (`HEALTH_SNAPSHOT_TTL`, default 60000). */
  snapshotTtlMs: number;
  /** Streams watched besides the platform's, without prefix (`HEALTH_EXTRA_STREAMS`, default none). */
  extraStreams: string[];
  /** See {@link HealthThresholds}. */
  thresholds: HealthThresholds;
  /** Browser origins that may read `GET /api/v1/status` (`CORS_ORIGINS`, default none). */
  corsOrigins: readonly string[];
  /** See {@link HeartbeatSettings}. */
  heartbeats: HeartbeatSettings;
  /** See {@link ReaperSettings}. */
  reaper: ReaperSettings;
  /** See {@link FeedSettings}. */
  feeds: FeedSettings;
}
