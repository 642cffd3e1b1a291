export { closeAll, type CloseStep } from './close-all';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, runService, type RunServiceOptions, type Service } from './run-service';
export { loadServiceConfig, type LoadServiceConfigOptions } from './load-service-config';
export { spawnWatchdog, type WatchdogOptions } from './spawn-watchdog';
