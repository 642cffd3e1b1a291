import type { Registry } from 'prom-client';
import type { HealthSnapshot } from '../status';
import { HEALTH_METRICS } from './health-metrics';
import { REDIS_SERVER_METRICS } from './redis-server-metrics';
import { registerSnapshotMetrics } from './snapshot-metric';
import { streamMetrics } from './stream-metrics';

/** Options of {@link registerHealthMetrics}. */
export interface RegisterHealthMetricsOptions {
  /** Registry served at `/metrics`. */
  registry: Registry;
  /** The latest snapshot (undefined before the first check). */
  latest: () => HealthSnapshot | undefined;
  /** Database index of the monitored Redis, for the `db` label of stream metrics (default 0). */
  db?: number;
}

/** Registers every snapshot-derived metric (Redis servers, streams, health) on the registry. */
export function registerHealthMetrics(options: RegisterHealthMetricsOptions): void {
  registerSnapshotMetrics(options.registry, [...REDIS_SERVER_METRICS, ...streamMetrics(options.db ?? 0), ...HEALTH_METRICS], options.latest);
}
