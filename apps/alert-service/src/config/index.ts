/** Configuration of the alert service: the environment, parsed once by `main.ts`. */
export type { AlertServiceConfig, ConsumerSettings, NotificationSettings } from './alert-service-config';
export { ALERT_SERVICE_ENV } from './alert-service-env';
export { loadSeedRules } from './load-seed-rules';
export { parseAlertServiceConfig } from './parse-alert-service-config';
export { parseRateLimits, type RateLimitOverrides } from './parse-rate-limits';
