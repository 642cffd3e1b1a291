import { DEFAULT_HEARTBEAT_INTERVAL_MS, RUNNER_DEFAULTS } from '@rebal/redis-client';
import { authEnv, bool, DEFAULT_SHUTDOWN_TIMEOUT_MS, duration, envSchema, int, optionalStr, serviceEnv, str } from '@rebal/service-kit';
import { DEFAULT_NOTIFICATION_BACKOFF, DISPATCHER_DEFAULTS } from '../notifications';
import { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_RULES_REFRESH_INTERVAL_MS } from '../processing';

/**
 * The alert service's environment variables, besides the Redis ones that `parseRedisConfig`
 * reads (`REDIS_URL`, `REDIS_CLUSTER_NODES`, ...). `describe()` lists them with defaults.
 */
export const ALERT_SERVICE_ENV = envSchema({
  ...serviceEnv(8081),
  ...authEnv(),
  CORS_ORIGINS: str({ default: '', defaultText: 'none', description: 'browser origins allowed to call the API (the dashboard), comma-separated `scheme://host[:port]`, or `*`' }),
  ALERT_WEBHOOKS: str({
    default: '',
    defaultText: 'none',
    secret: true,
    description: 'webhook targets, a JSON array of `{name, url, secret?, severities: ["S2","S3"], timeoutMs?}` (URLs and secrets are never logged)',
  }),
  ALERT_RETENTION: duration({ default: 7 * 86_400_000, defaultText: '7d', min: 60_000, description: 'how long resolved alerts and expired silences are kept' }),
  ALERT_RATE_LIMITS: str({
    default: '',
    defaultText: 'S1 6/min (burst 10) 200/day; S2 20/min (burst 30) 1000/day; S3 60/min (burst 100) 5000/day',
    description: 'notification budgets per severity, JSON such as `{"S1": {"perMinute": 6, "burst": 10, "perDay": 200}}` (alerts are always stored; only notifications are limited)',
  }),
  ALERT_SEED_FILE: optionalStr({ defaultText: 'the built-in seed rules', description: 'JSON file of rule definitions written on the very first start (later starts never reseed)' }),
  ALERT_SEED: bool({ default: true, description: 'seed rules on the very first start (false: start with no rules)' }),
  ALERT_MAX_CLOCK_SKEW: duration({
    default: DEFAULT_MAX_CLOCK_SKEW_MS,
    min: 1_000,
    description: 'how far ahead of this replica\'s clock an event\'s `time` may be; an event dated further ahead is not evaluated and moves to `<stream>:dlq` (it would make its rules ignore every later event as older)',
  }),
  ALERT_PARTITIONS: int({
    default: 16,
    min: 1,
    max: 1_024,
    description: 'partitions of the rule engine: events of one subject (symbol, portfolio, service) go to one, and each replica evaluates the partitions it leases; every replica must have the same value (changing it: docs/operations.md)',
  }),
  CONSUMER_CONCURRENCY: int({ default: RUNNER_DEFAULTS.concurrency, min: 1, max: 1_000, description: 'alert changes the webhook notifier handles at once' }),
  CONSUMER_CLAIM_IDLE: duration({
    default: RUNNER_DEFAULTS.claimIdleMs,
    min: 100,
    description: 'a replica that stops renewing its partition leases this long (it died) loses them to the others; a notification entry unacknowledged this long is taken over',
  }),
  CONSUMER_CLAIM_INTERVAL: duration({ default: RUNNER_DEFAULTS.claimIntervalMs, min: 50, description: 'how often each replica looks for notification entries to take over' }),
  CONSUMER_MAX_DELIVERIES: int({ default: RUNNER_DEFAULTS.maxDeliveries, min: 1, max: 100, description: 'deliveries after which a failing notification entry moves to `alerts:dlq`' }),
  CONSUMER_BLOCK: duration({ default: RUNNER_DEFAULTS.blockMs, min: 10, max: 60_000, description: 'XREAD and XREADGROUP BLOCK timeout' }),
  RULES_REFRESH_INTERVAL: duration({ default: DEFAULT_RULES_REFRESH_INTERVAL_MS, max: 300_000, description: 'how often the rules version is checked; rule changes made on another replica apply within this time' }),
  ALERT_TICK_INTERVAL: duration({ default: 1_000, min: 10, max: 60_000, description: 'how often keep-firing expiries, cooldowns and ended snoozes are applied' }),
  ALERT_PURGE_INTERVAL: duration({ default: 60_000, min: 1_000, description: 'how often resolved alerts past ALERT_RETENTION are removed' }),
  NOTIFY_ATTEMPTS: int({ default: DISPATCHER_DEFAULTS.attempts, min: 1, max: 50, description: 'delivery attempts per webhook notification, the first included' }),
  NOTIFY_BACKOFF_BASE: duration({ default: DEFAULT_NOTIFICATION_BACKOFF.baseMs, min: 1, description: 'ceiling of the first retry delay (exponential with full jitter)' }),
  NOTIFY_BACKOFF_MAX: duration({ default: DEFAULT_NOTIFICATION_BACKOFF.maxMs, min: 1, description: 'largest retry delay ceiling' }),
  NOTIFY_CONCURRENCY: int({ default: DISPATCHER_DEFAULTS.concurrency, min: 1, max: 100, description: 'webhook deliveries in flight per replica' }),
  HEARTBEAT_INTERVAL: duration({ default: DEFAULT_HEARTBEAT_INTERVAL_MS, min: 100, description: 'interval of the service heartbeats on `service_heartbeats`' }),
  SHUTDOWN_TIMEOUT: duration({ default: DEFAULT_SHUTDOWN_TIMEOUT_MS, min: 1_000, description: 'hard limit for a graceful shutdown' }),
});
