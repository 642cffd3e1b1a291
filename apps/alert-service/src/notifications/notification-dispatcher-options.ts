import { silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Registry } from 'prom-client';
import type { FetchFunction } from './deliver-webhook';
import { DEFAULT_NOTIFICATION_BACKOFF, type NotificationBackoffOptions, type ResolvedNotificationBackoff } from './notification-backoff';
import { NotificationDispatcherError } from './notification-dispatcher-error';
import { validateWebhookTargets } from './parse-webhook-targets';
import type { WebhookTarget } from './webhook-target';

/** How many finished jobs BullMQ keeps; whichever limit is hit first removes a job. */
export interface KeepJobsOptions {
  /** Remove jobs older than this, in ms. */
  ageMs?: number;
  /** Keep at most this many (0: remove at once). */
  count?: number;
}

/** Called when a snooze expires; the service wires it to the store's unsnooze. */
export type SnoozeExpiredCallback = (alertId: string, version: number) => Promise<void>;

/** Options of `NotificationDispatcher`. */
export interface NotificationDispatcherOptions {
  /**
   * Connection for BullMQ: a blocking one, `createRedisConnection(options, { blocking: true })`
   * (BullMQ needs `maxRetriesPerRequest: null`). Shared by both queues and both workers (each
   * worker duplicates it for its blocking reads); the caller closes it after `close()`.
   */
  connection: RedisConnection;
  /** Webhook targets, e.g. from `parseWebhookTargets(env.ALERT_WEBHOOKS)`; may be empty. */
  targets: readonly WebhookTarget[];
  /**
   * Runs when a snooze scheduled with `scheduleSnoozeExpiry` expires; it must check the
   * version (the alert may have changed since) and be idempotent. A rejection is retried
   * with the same backoff as deliveries.
   */
  onSnoozeExpired: SnoozeExpiredCallback;
  /**
   * BullMQ key prefix; must contain a hash tag so every key of a queue lands in one Cluster
   * slot (default `{rebal-notify}`).
   */
  prefix?: string;
  /** Queue of webhook deliveries (default `alert-notifications`). */
  queueName?: string;
  /** Queue of snooze expiry jobs (default `alert-snooze-expiry`). */
  snoozeQueueName?: string;
  /** Attempts per delivery, the first included (default 8). */
  attempts?: number;
  /** Retry delays: exponential with full jitter (default 1 s doubling to 5 min; `Retry-After` up to 1 h). */
  backoff?: NotificationBackoffOptions;
  /** Deliveries in flight at once per dispatcher (default 5). */
  concurrency?: number;
  /**
   * How long a delivery id stays deduplicated after it was enqueued, in ms: a change
   * notified again within this window is not delivered again, even after its job was
   * removed (default 7 days). Costs one small Redis key per delivery.
   */
  dedupWindowMs?: number;
  /** Completed jobs kept (default 1 h / 1000 jobs); deduplication does not depend on them. */
  keepCompleted?: KeepJobsOptions;
  /** Failed jobs kept for inspection with `failedJobs()` (default 7 days / 10000 jobs). */
  keepFailed?: KeepJobsOptions;
  /** Refresh period of `rebal_alert_notification_queue_depth`, in ms (default 15000). */
  queueDepthIntervalMs?: number;
  /** prom-client registry for the metrics (default: the global registry). */
  registry?: Registry;
  /** Logger (default `silentLogger()`); logs target names, never URLs or secrets. */
  logger?: Logger;
  /** HTTP client (default the global `fetch`); for tests that must fake the network. */
  fetch?: FetchFunction;
}

/** {@link NotificationDispatcherOptions} with defaults merged and checked (internal). */
export interface ResolvedDispatcherOptions {
  connection: RedisConnection;
  targets: Map<string, WebhookTarget>;
  onSnoozeExpired: SnoozeExpiredCallback;
  prefix: string;
  queueName: string;
  snoozeQueueName: string;
  attempts: number;
  backoff: ResolvedNotificationBackoff;
  concurrency: number;
  dedupWindowMs: number;
  keepCompleted: Required<KeepJobsOptions>;
  keepFailed: Required<KeepJobsOptions>;
  queueDepthIntervalMs: number;
  registry?: Registry;
  logger: Logger;
  fetch?: FetchFunction;
}

/** Delivery attempts and deliveries in flight unless `NOTIFY_ATTEMPTS` and `NOTIFY_CONCURRENCY` say otherwise. */
export const DISPATCHER_DEFAULTS = { attempts: 8, concurrency: 5 } as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUEUE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function fail(message: string): never {
  throw new NotificationDispatcherError('ERR_NOTIFICATION_OPTIONS', message);
}

function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

/** True when the first `{` of `prefix` opens a non-empty hash tag (Redis Cluster's rule). */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** `maxRetriesPerRequest` of a single-server or Cluster connection. */
function maxRetriesPerRequest(connection: RedisConnection): number | null | undefined {
  const options = connection.options as { maxRetriesPerRequest?: number | null; redisOptions?: { maxRetriesPerRequest?: number | null } };
  return 'redisOptions' in options ? options.redisOptions?.maxRetriesPerRequest : options.maxRetriesPerRequest;
}

function resolveKeep(name: string, value: KeepJobsOptions | undefined, defaults: Required<KeepJobsOptions>): Required<KeepJobsOptions> {
  const merged = { ...defaults, ...value };
  checkInteger(`${name}.ageMs`, merged.ageMs, 0);
  checkInteger(`${name}.count`, merged.count, 0);
  return merged;
}

/** Merges the defaults once and checks every option (internal). */
export function resolveDispatcherOptions(options: NotificationDispatcherOptions): ResolvedDispatcherOptions {
  const { connection } = options;
  if (!connection || typeof connection.duplicate !== 'function') fail('connection must be a RedisConnection');
  if (maxRetriesPerRequest(connection) !== null) {
    fail('connection must be blocking (maxRetriesPerRequest: null): create it with createRedisConnection(options, { blocking: true })');
  }
  if (typeof options.onSnoozeExpired !== 'function') fail('onSnoozeExpired must be a function');
  const prefix = options.prefix ?? '{rebal-notify}';
  if (!hasHashTag(prefix)) fail(`prefix must contain a hash tag such as {rebal-notify}, got "${prefix}"`);
  const queueName = options.queueName ?? 'alert-notifications';
  const snoozeQueueName = options.snoozeQueueName ?? 'alert-snooze-expiry';
  for (const [name, value] of [['queueName', queueName], ['snoozeQueueName', snoozeQueueName]]) {
    if (!QUEUE_NAME.test(value)) fail(`${name} must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-", got "${value}"`);
  }
  if (queueName === snoozeQueueName) fail('queueName and snoozeQueueName must differ');
  const backoff = { ...DEFAULT_NOTIFICATION_BACKOFF, ...options.backoff };
  checkInteger('backoff.baseMs', backoff.baseMs, 1);
  checkInteger('backoff.maxMs', backoff.maxMs, backoff.baseMs);
  checkInteger('backoff.maxRetryAfterMs', backoff.maxRetryAfterMs, 0);
  const targets = new Map(validateWebhookTargets(options.targets, 'targets').map((target) => [target.name, target] as const));
  return {
    connection,
    targets,
    onSnoozeExpired: options.onSnoozeExpired,
    prefix,
    queueName,
    snoozeQueueName,
    attempts: checkInteger('attempts', options.attempts ?? DISPATCHER_DEFAULTS.attempts, 1, 100),
    backoff,
    concurrency: checkInteger('concurrency', options.concurrency ?? DISPATCHER_DEFAULTS.concurrency, 1, 1000),
    dedupWindowMs: checkInteger('dedupWindowMs', options.dedupWindowMs ?? 7 * DAY_MS, 1000),
    keepCompleted: resolveKeep('keepCompleted', options.keepCompleted, { ageMs: HOUR_MS, count: 1000 }),
    keepFailed: resolveKeep('keepFailed', options.keepFailed, { ageMs: 7 * DAY_MS, count: 10_000 }),
    queueDepthIntervalMs: checkInteger('queueDepthIntervalMs', options.queueDepthIntervalMs ?? 15_000, 100),
    registry: options.registry,
    logger: options.logger ?? silentLogger(),
    fetch: options.fetch,
  };
}
