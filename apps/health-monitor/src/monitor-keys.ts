import { STREAM_NAMES, streamKey, type RedisConnectionOptions } from '@rebal/redis-client';
import type { WatchedStream } from './collectors';

/** The Redis keys the monitor owns, each with the deployment's stream prefix (one key per command: Cluster safe). */
export interface MonitorKeys {
  /** Hash of the latest heartbeat per instance, shared by the replicas. */
  instances: string;
  /** The housekeeping lease. */
  lease: string;
  /** Hash of the last announced status per scope. */
  announced: string;
}

/** The monitor's keys under `prefix` (`REDIS_STREAM_PREFIX`). */
export function monitorKeys(prefix: string): MonitorKeys {
  return {
    instances: `${prefix}health-monitor:instances`,
    lease: `${prefix}health-monitor:lease`,
    announced: `${prefix}health-monitor:announced`,
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
