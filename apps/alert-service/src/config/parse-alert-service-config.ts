import { ConfigError, parseRedisConfig } from '@rebal/redis-client';
import { parseAuthSettings, parseCorsOrigins, serviceSettings } from '@rebal/service-kit';
import { parseWebhookTargets, WebhookConfigError, type WebhookTarget } from '../notifications';
import type { AlertServiceConfig } from './alert-service-config';
import { ALERT_SERVICE_ENV } from './alert-service-env';
import { parseRateLimits, type RateLimitOverrides } from './parse-rate-limits';

type Env = Record<string, string | undefined>;

/**
 * Turns the environment into the alert service's typed configuration. Pure: reads only `env`
 * (the seed file is read by `loadSeedRules`). Authentication is always on: exactly one of
 * `AUTH_JWT_SECRET`, `AUTH_JWT_PUBLIC_KEY` and `AUTH_JWKS_URL` must be set and usable.
 * @throws ConfigError naming the first bad variable (never a secret's value)
 */
export function parseAlertServiceConfig(env: Env): AlertServiceConfig {
  const vars = ALERT_SERVICE_ENV.parse(env);
  const redis = parseRedisConfig(env);
  let corsOrigins: string[];
  try {
    corsOrigins = parseCorsOrigins(vars.CORS_ORIGINS);
  } catch (error) {
    throw new ConfigError('CORS_ORIGINS', (error as Error).message);
  }
  let rateLimits: RateLimitOverrides;
  try {
    rateLimits = parseRateLimits(vars.ALERT_RATE_LIMITS);
  } catch (error) {
    throw new ConfigError('ALERT_RATE_LIMITS', (error as Error).message);
  }
  if (vars.NOTIFY_BACKOFF_MAX < vars.NOTIFY_BACKOFF_BASE) throw new ConfigError('NOTIFY_BACKOFF_MAX', 'must be at least NOTIFY_BACKOFF_BASE');
  return {
    ...serviceSettings(vars),
    redis,
    auth: parseAuthSettings(vars),
    corsOrigins,
    retentionMs: vars.ALERT_RETENTION,
    partitions: vars.ALERT_PARTITIONS,
    rateLimits,
    seed: vars.ALERT_SEED,
    ...(vars.ALERT_SEED_FILE === undefined ? {} : { seedFile: vars.ALERT_SEED_FILE }),
    maxClockSkewMs: vars.ALERT_MAX_CLOCK_SKEW,
    consumer: {
      concurrency: vars.CONSUMER_CONCURRENCY,
      claimIdleMs: vars.CONSUMER_CLAIM_IDLE,
      claimIntervalMs: vars.CONSUMER_CLAIM_INTERVAL,
      maxDeliveries: vars.CONSUMER_MAX_DELIVERIES,
      blockMs: vars.CONSUMER_BLOCK,
    },
    rulesRefreshIntervalMs: vars.RULES_REFRESH_INTERVAL,
    tickIntervalMs: vars.ALERT_TICK_INTERVAL,
    purgeIntervalMs: vars.ALERT_PURGE_INTERVAL,
    notifications: {
      targets: webhookTargets(vars.ALERT_WEBHOOKS),
      attempts: vars.NOTIFY_ATTEMPTS,
      backoffBaseMs: vars.NOTIFY_BACKOFF_BASE,
      backoffMaxMs: vars.NOTIFY_BACKOFF_MAX,
      concurrency: vars.NOTIFY_CONCURRENCY,
    },
    heartbeatIntervalMs: vars.HEARTBEAT_INTERVAL,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT,
  };
}

function webhookTargets(json: string): WebhookTarget[] {
  try {
    return parseWebhookTargets(json, { source: 'ALERT_WEBHOOKS' });
  } catch (error) {
    // Its message names each field and never echoes a value (URLs and secrets stay out of logs).
    if (error instanceof WebhookConfigError) throw new ConfigError('ALERT_WEBHOOKS', error.message);
    throw error;
  }
}
