// Prometheus exposition: metrics computed on scrape from the latest snapshot, named as
// oliver006/redis_exporter names them where it has a name, `rebal_health_*` otherwise.
export { HEALTH_METRICS } from './health-metrics';
export { REDIS_SERVER_METRICS } from './redis-server-metrics';
export { registerHealthMetrics, type RegisterHealthMetricsOptions } from './register-health-metrics';
export { registerSnapshotMetrics, type Labels, type Sample, type SnapshotMetric } from './snapshot-metric';
export { streamMetrics } from './stream-metrics';
