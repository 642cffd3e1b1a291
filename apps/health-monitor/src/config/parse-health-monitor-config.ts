import { ConfigError, parseRedisConfig, STREAM_NAMES } from '@rebal/redis-client';
import { parseCorsOrigins, serviceSettings } from '@rebal/service-kit';
import type { HealthMonitorConfig } from './health-monitor-config';
import { parseFeedExpectations, type FeedExpectations } from '../feeds/feed-expectations';
import { HEALTH_MONITOR_ENV } from './health-monitor-env';

/**
 * Turns the environment into the monitor's typed configuration. Pure: it reads only `env`.
 *
 * @throws ConfigError naming the first bad variable and what was expected
 */
export function parseHealthMonitorConfig(env: Record<string, string | undefined>): HealthMonitorConfig {
  const redis = parseRedisConfig(env);
  const e = HEALTH_MONITOR_ENV.parse(env);
  if (e.HEALTH_REAP_GRACE <= e.HEALTH_HEARTBEAT_TIMEOUT) {
    throw new ConfigError('HEALTH_REAP_GRACE', `must be longer than HEALTH_HEARTBEAT_TIMEOUT (${e.HEALTH_HEARTBEAT_TIMEOUT} ms): an instance is down before it is gone`);
  }
  if (e.HEALTH_FORGET_AFTER < e.HEALTH_REAP_GRACE) {
    throw new ConfigError('HEALTH_FORGET_AFTER', `must be at least HEALTH_REAP_GRACE (${e.HEALTH_REAP_GRACE} ms)`);
  }
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(e.CORS_ORIGINS);
  } catch (error) {
    throw new ConfigError('CORS_ORIGINS', (error as Error).message);
  }
  let expectations: FeedExpectations;
  try {
    expectations = parseFeedExpectations(e.HEALTH_FEED_EXPECTATIONS, [...new Set([...STREAM_NAMES, ...e.HEALTH_EXTRA_STREAMS])]);
  } catch (error) {
    throw new ConfigError('HEALTH_FEED_EXPECTATIONS', (error as Error).message);
  }
  return {
    ...serviceSettings(e),
    redis,
    checkIntervalMs: e.HEALTH_CHECK_INTERVAL,
    checkTimeoutMs: e.HEALTH_CHECK_TIMEOUT,
    snapshotTtlMs: e.HEALTH_SNAPSHOT_TTL,
    extraStreams: e.HEALTH_EXTRA_STREAMS,
    corsOrigins,
    thresholds: {
      maxLag: e.HEALTH_LAG_THRESHOLD,
      pendingGrowthChecks: e.HEALTH_PENDING_GROWTH_CHECKS,
      memoryShare: e.HEALTH_MEMORY_THRESHOLD,
      requireAof: e.HEALTH_REQUIRE_AOF,
    },
    heartbeats: {
      intervalMs: e.HEARTBEAT_INTERVAL,
      timeoutMs: e.HEALTH_HEARTBEAT_TIMEOUT,
      expectedServices: e.HEALTH_EXPECTED_SERVICES,
    },
    reaper: {
      enabled: e.HEALTH_REAP_ENABLED,
      graceMs: e.HEALTH_REAP_GRACE,
      forgetAfterMs: e.HEALTH_FORGET_AFTER,
      leaseTtlMs: e.HEALTH_LEASE_TTL,
    },
    feeds: { expectations, maxSubjects: e.HEALTH_FEED_MAX_SUBJECTS },
  };
}
