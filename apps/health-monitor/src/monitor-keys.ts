import { STREAM_NAMES, streamKey, type RedisConnectionOptions } from '@rebal/redis-client';
import type { WatchedStream } from './collectors';

/** Namespace of the monitor's cache: its keys are `cache:health:<key>` (scripts/redis-acl.sh grants `~cache:health:*`). */
export const HEALTH_CACHE_NAMESPACE = 'health';

/** The Redis keys the monitor owns, each with the deployment's stream prefix (one key per command: Cluster safe). */
export interface MonitorKeys {
  /** Hash of the latest heartbeat per instance, shared by the replicas. */
  instances: string;
  /** The housekeeping lease. */
  lease: string;
  /** Hash of the last announced status per scope. */
  announced: string;
  /** Hash of the feeds announced stale (`feed_status`), by feed (`<stream>` or `<stream>:<subject>`). */
  staleFeeds: string;
  /**
   * Key of the latest snapshot in the cache namespace {@link HEALTH_CACHE_NAMESPACE}:
   * `<prefix>latest`, so Redis holds it as `cache:health:<prefix>latest` (`cache:health:latest`
   * without a prefix) and deployments sharing one Redis keep their own snapshot.
   */
  snapshot: string;
}

/** The monitor's keys under `prefix` (`REDIS_STREAM_PREFIX`). */
export function monitorKeys(prefix: string): MonitorKeys {
  return {
    instances: `${prefix}health-monitor:instances`,
    lease: `${prefix}health-monitor:lease`,
    announced: `${prefix}health-monitor:announced`,
    staleFeeds: `${prefix}health-monitor:stale-feeds`,
    snapshot: `${prefix}latest`,
  };
}

/** The platform's streams plus `extra`, with their keys under `prefix`, each once. */
export function watchedStreams(prefix: string, extra: readonly string[]): WatchedStream[] {
  const names = [...new Set([...STREAM_NAMES, ...extra])];
  return names.map((name) => ({ name, key: streamKey(name, prefix) }));
}

/** How a single-server connection is labelled in reports and metrics: `host:port`, or `sentinel/<master group>`. */
export function redisAddress(options: RedisConnectionOptions): string {
  if (options.mode === 'sentinel') return `sentinel/${options.sentinelName ?? 'master'}`;
  if (options.mode === 'cluster') return 'cluster';
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${host}:${options.port}`;
}
