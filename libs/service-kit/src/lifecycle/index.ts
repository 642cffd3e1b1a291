export { closeAll, type CloseStep } from './close-all';
export { runService, type RunServiceOptions, type Service } from './run-service';
export { loadServiceConfig, type LoadServiceConfigOptions } from './load-service-config';
export { spawnWatchdog, type WatchdogOptions } from './spawn-watchdog';
