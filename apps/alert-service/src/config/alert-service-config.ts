import type { JwtVerifierOptions, ServiceSettings } from '@rebal/service-kit';
import type { RedisConfig } from '@rebal/redis-client';
import type { WebhookTarget } from '../notifications';
import type { RateLimitOverrides } from './parse-rate-limits';

/** Settings of the stream readers: the input streams' XREAD, the partition leases, and the notifier's consumer group on `alerts`. */
export interface ConsumerSettings {
  /** Alert changes the notifier handles at once (default 10). */
  readonly concurrency: number;
  /** Partition lease time to live, and the idle time after which another replica claims an unacknowledged notification entry, ms (default 30 000). */
  readonly claimIdleMs: number;
  /** Time between the notifier's claim passes, ms (default 5 000). */
  readonly claimIntervalMs: number;
  /** Deliveries after which a failing notification entry is dead-lettered (default 5). */
  readonly maxDeliveries: number;
  /** XREAD / XREADGROUP BLOCK, ms (default 2 000). */
  readonly blockMs: number;
}

/** Webhook delivery settings. */
export interface NotificationSettings {
  /** Where changes are delivered (default none). */
  readonly targets: readonly WebhookTarget[];
  /** Attempts per delivery (default 8). */
  readonly attempts: number;
  /** First retry delay ceiling, ms (default 1 000). */
  readonly backoffBaseMs: number;
  /** Largest retry delay ceiling, ms (default 300 000). */
  readonly backoffMaxMs: number;
  /** Deliveries in flight per replica (default 5). */
  readonly concurrency: number;
}

/** Everything the alert service needs, parsed once from the environment by `parseAlertServiceConfig`. */
export interface AlertServiceConfig extends ServiceSettings {
  /** Redis connection and stream prefix. */
  readonly redis: RedisConfig;
  /** How the API verifies bearer tokens (authentication is always on). */
  readonly auth: JwtVerifierOptions;
  /** Browser origins allowed by CORS (default none). */
  readonly corsOrigins: readonly string[];
  /** How long resolved alerts are kept, ms (default 7 days). */
  readonly retentionMs: number;
  /** Partitions of the rule engine (default 16). */
  readonly partitions: number;
  /** Overrides of the notification budgets per severity (default none: the rules module's defaults). */
  readonly rateLimits: RateLimitOverrides;
  /** Seed rules on the very first start (default true). */
  readonly seed: boolean;
  /** JSON file of the seed rules (default: the built-in seed). */
  readonly seedFile?: string;
  /** How far ahead of the clock an event's `time` may be before it is refused and dead-lettered, ms (default 300 000). */
  readonly maxClockSkewMs: number;
  /** Consumer group settings. */
  readonly consumer: ConsumerSettings;
  /** How often the rules version is checked, ms (default 2 000). */
  readonly rulesRefreshIntervalMs: number;
  /** Ticker interval, ms (default 1 000). */
  readonly tickIntervalMs: number;
  /** Retention purge interval, ms (default 60 000). */
  readonly purgeIntervalMs: number;
  /** Webhook notifications. */
  readonly notifications: NotificationSettings;
  /** Heartbeat interval, ms (default 5 000). */
  readonly heartbeatIntervalMs: number;
  /** Hard limit of a graceful shutdown, ms (default 10 000). */
  readonly shutdownTimeoutMs: number;
}
