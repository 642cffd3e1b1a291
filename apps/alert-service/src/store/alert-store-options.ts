import type { Registry } from 'prom-client';
import { silentLogger, STREAMS, type Logger, type RedisConnection } from '@rebal/redis-client';
import {
  DEFAULT_ESCALATION_MIN_ALERTS,
  DEFAULT_ESCALATION_WINDOW_MS,
  resolveRateLimitPolicy,
  type RateLimitPolicy,
  type Severity,
  type SeverityBudget,
} from '../rules';
import { AlertStoreOptionsError } from './alert-store-errors';

/** Options of `AlertStore`. */
export interface AlertStoreOptions {
  /** The durable Redis (passed in, never created here). */
  redis: RedisConnection;
  /** Key of the `alerts` stream, prefix included, e.g. `streamKey('alerts', prefix)` (default `alerts`). Every store key carries its hash tag. */
  alertsStream?: string;
  /** CloudEvents `source` of the alert events (default `/alert-service`). */
  source?: string;
  /** How long resolved alerts (and expired silences) are kept before `purgeResolved` removes them, ms (default 7 days). */
  retentionMs?: number;
  /** Overrides of the notification budgets per severity (default `DEFAULT_RATE_LIMIT_POLICY` of the rules module). */
  rateLimitPolicy?: Partial<Record<Severity, Partial<SeverityBudget>>>;
  /** What the notification budget is shared by (default `global`: one budget per severity). */
  rateLimitScope?: string;
  /** Escalation window in ms: S2 alerts of one kind counted within it (default 30 min). */
  escalationWindowMs?: number;
  /** Distinct S2 alerts of one kind in the window that raise an S3 escalation (default 2). */
  escalationMinAlerts?: number;
  /** History entries kept per alert, newest kept (default 1000). */
  historyLimit?: number;
  /** Compare-and-set attempts of an API action before `AlertConflictError` (default 5). */
  maxAttempts?: number;
  /** Alerts removed per script by `purgeResolved` (default 100). */
  purgeBatchSize?: number;
  /** Current time in ms (default `Date.now`): API actions, silences, rate limits, purge. */
  clock?: () => number;
  /** prom-client registry of the store metrics (default: the global registry). */
  registry?: Registry;
  /** Logger (default: silent). */
  logger?: Logger;
}

/** The options with every default applied. */
export interface ResolvedAlertStoreOptions {
  redis: RedisConnection;
  alertsStream: string;
  source: string;
  retentionMs: number;
  rateLimitPolicy: RateLimitPolicy;
  rateLimitScope: string;
  escalationWindowMs: number;
  escalationMinAlerts: number;
  historyLimit: number;
  maxAttempts: number;
  purgeBatchSize: number;
  maxLen: number;
  clock: () => number;
  registry?: Registry;
  logger: Logger;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new AlertStoreOptionsError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Merges the defaults once and checks every value.
 * @throws AlertStoreOptionsError naming the bad option
 */
export function resolveAlertStoreOptions(options: AlertStoreOptions): ResolvedAlertStoreOptions {
  if (!options || !options.redis) throw new AlertStoreOptionsError('redis is required');
  const alertsStream = options.alertsStream ?? 'alerts';
  if (!/^[^{}\s]+$/.test(alertsStream)) {
    throw new AlertStoreOptionsError(`alertsStream must be non-empty, without braces or spaces (got "${alertsStream}")`);
  }
  const rateLimitScope = options.rateLimitScope ?? 'global';
  if (!/^[^\s{}]{1,128}$/.test(rateLimitScope)) throw new AlertStoreOptionsError(`rateLimitScope must be 1 to 128 characters without spaces or braces`);
  let rateLimitPolicy: RateLimitPolicy;
  try {
    rateLimitPolicy = resolveRateLimitPolicy(options.rateLimitPolicy);
  } catch (error) {
    throw new AlertStoreOptionsError(`rateLimitPolicy: ${(error as Error).message}`);
  }
  return {
    redis: options.redis,
    alertsStream,
    source: options.source ?? '/alert-service',
    retentionMs: positiveInteger('retentionMs', options.retentionMs ?? 7 * 86_400_000),
    rateLimitPolicy,
    rateLimitScope,
    escalationWindowMs: positiveInteger('escalationWindowMs', options.escalationWindowMs ?? DEFAULT_ESCALATION_WINDOW_MS),
    escalationMinAlerts: positiveInteger('escalationMinAlerts', options.escalationMinAlerts ?? DEFAULT_ESCALATION_MIN_ALERTS),
    historyLimit: positiveInteger('historyLimit', options.historyLimit ?? 1000),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? 5),
    purgeBatchSize: positiveInteger('purgeBatchSize', options.purgeBatchSize ?? 100),
    maxLen: STREAMS.alerts.maxLen,
    clock: options.clock ?? Date.now,
    registry: options.registry,
    logger: options.logger ?? silentLogger(),
  };
}
