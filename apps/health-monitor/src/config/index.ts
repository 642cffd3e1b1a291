// Configuration of the health monitor: environment variables → a typed config (main.ts only).
export { list, ratio, type ListOptions, type RatioOptions } from './env-builders';
export type { FeedSettings, HealthMonitorConfig, HealthThresholds, HeartbeatSettings, ReaperSettings } from './health-monitor-config';
export { HEALTH_MONITOR_ENV } from './health-monitor-env';
export { parseHealthMonitorConfig } from './parse-health-monitor-config';
