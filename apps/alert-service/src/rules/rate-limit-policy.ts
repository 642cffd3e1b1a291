import { RateLimitPolicyError } from './rate-limit-policy-error';
import { SEVERITIES, type Severity } from './severity';

/** The notification budget of one severity. */
export interface SeverityBudget {
  /** Token-bucket refill rate: notifications per minute, sustained. */
  perMinute: number;
  /** Bucket capacity: how many may go out at once after a quiet period (default `perMinute`). */
  burst?: number;
  /** Hard cap per UTC day. */
  perDay: number;
}

/** A budget per severity. */
export type RateLimitPolicy = Readonly<Record<Severity, SeverityBudget>>;

/**
 * Defaults: the worse the severity, the larger the budget, so an info storm cannot starve
 * criticals. S1 6/min (burst 10), 200/day; S2 20/min (burst 30), 1000/day; S3 60/min
 * (burst 100), 5000/day.
 */
export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = {
  S1: { perMinute: 6, burst: 10, perDay: 200 },
  S2: { perMinute: 20, burst: 30, perDay: 1000 },
  S3: { perMinute: 60, burst: 100, perDay: 5000 },
};

/**
 * The counters of one (scope, severity) as read from Redis. Missing fields mean "never used":
 * a full bucket and nothing sent today. `dayCount` is the counter of the UTC day of `nowMs`
 * (the day key of another day is simply a different key).
 */
export interface RateLimitCounters {
  /** Tokens left at `updatedAtMs` (may be fractional). */
  tokens?: number;
  /** When `tokens` was computed, ms since the epoch. */
  updatedAtMs?: number;
  /** Notifications sent in the current UTC day. */
  dayCount?: number;
}

/** Whether one notification may go out now, and the counters to write back. */
export interface RateLimitDecision {
  /** True: send it (the counters below already count it). */
  allowed: boolean;
  /** Why not: `burst` (bucket empty) or `daily_budget` (the day's cap is reached). */
  reason?: 'burst' | 'daily_budget';
  /** When a retry could succeed, in ms from `nowMs` (0 when allowed). */
  retryAfterMs: number;
  /** Counters to store (refilled; one token and one daily unit consumed when allowed). */
  next: Required<RateLimitCounters>;
}

/** Options of {@link rateLimitKeys}. */
export interface RateLimitKeyOptions {
  /** What the budget is shared by, e.g. `global`, a rule id or a channel (default `global`); no braces. */
  scope?: string;
  /** The alerts stream key, whose hash tag the keys carry (default `alerts`; with a prefix, e.g. `staging:alerts`). */
  alertsStreamKey?: string;
}

/** Redis keys of one (scope, severity) budget; all in the `alerts` stream's hash slot. */
export interface RateLimitKeys {
  /** Hash with fields `tokens` and `updatedAtMs`: `{alerts}:ratelimit:<scope>:<severity>:bucket`. */
  bucketKey: string;
  /** Integer counter of the UTC day: `{alerts}:ratelimit:<scope>:<severity>:day:<YYYYMMDD>`. */
  dayKey: string;
  /** TTL to set on the day key: 2 days, so yesterday's counter expires on its own. */
  dayKeyTtlSeconds: number;
}

const DAY_MS = 86_400_000;

/**
 * Merges `overrides` into the defaults and checks every budget (positive, finite numbers). A
 * field an override leaves out keeps its default, except `burst` when the override sets
 * `perMinute`: it is then `perMinute` (the default of `burst`), not the default budget's
 * burst, which was sized for the default rate.
 * @throws RateLimitPolicyError (code `ERR_RATE_LIMIT_POLICY`) naming the bad field
 */
export function resolveRateLimitPolicy(overrides: Partial<Record<Severity, Partial<SeverityBudget>>> = {}): RateLimitPolicy {
  const policy = {} as Record<Severity, SeverityBudget>;
  for (const severity of SEVERITIES) {
    const override = overrides[severity] ?? {};
    const budget: SeverityBudget = { ...DEFAULT_RATE_LIMIT_POLICY[severity], ...override };
    if (override.perMinute !== undefined && override.burst === undefined) budget.burst = override.perMinute;
    for (const field of ['perMinute', 'burst', 'perDay'] as const) {
      const value = budget[field];
      if (value === undefined && field === 'burst') continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new RateLimitPolicyError(`${severity}.${field} must be a positive number (got ${String(value)})`);
      }
    }
    policy[severity] = budget;
  }
  return policy;
}

/**
 * Decides whether one notification of `severity` may go out at `nowMs`: the day's cap is
 * checked first (a refused notification consumes nothing), then the token bucket (capacity
 * `burst`, refilled at `perMinute` per minute). Pure: the store reads the counters, calls
 * this, and writes `next` back atomically (one script over {@link rateLimitKeys}).
 */
export function decideRateLimit(
  severity: Severity,
  counters: RateLimitCounters | undefined,
  nowMs: number,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMIT_POLICY,
): RateLimitDecision {
  const budget = policy[severity];
  const capacity = budget.burst ?? budget.perMinute;
  const perMs = budget.perMinute / 60_000;
  // A clock behind the stored time (another replica's) refills nothing, and leaves the stored
  // time as it is: moved back, it would let the replica that is ahead count the skew again.
  const elapsed = counters?.updatedAtMs === undefined ? Infinity : Math.max(0, nowMs - counters.updatedAtMs);
  const updatedAtMs = Math.max(nowMs, counters?.updatedAtMs ?? nowMs);
  const tokens = Math.min(capacity, (counters?.tokens ?? capacity) + elapsed * perMs);
  const dayCount = counters?.dayCount ?? 0;
  if (dayCount >= budget.perDay) {
    return {
      allowed: false,
      reason: 'daily_budget',
      retryAfterMs: DAY_MS - (((nowMs % DAY_MS) + DAY_MS) % DAY_MS),
      next: { tokens, updatedAtMs, dayCount },
    };
  }
  if (tokens < 1) {
    return {
      allowed: false,
      reason: 'burst',
      retryAfterMs: Math.ceil((1 - tokens) / perMs),
      next: { tokens, updatedAtMs, dayCount },
    };
  }
  return { allowed: true, retryAfterMs: 0, next: { tokens: tokens - 1, updatedAtMs, dayCount: dayCount + 1 } };
}

/** The UTC day of `nowMs` as `YYYYMMDD`. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The Redis keys holding the counters of one (scope, severity) at `nowMs`.
 * @throws RateLimitPolicyError when `scope` is empty or contains braces or whitespace
 */
export function rateLimitKeys(severity: Severity, nowMs: number, options: RateLimitKeyOptions = {}): RateLimitKeys {
  const scope = options.scope ?? 'global';
  if (!/^[^\s{}]{1,128}$/.test(scope)) {
    throw new RateLimitPolicyError(`scope must be 1 to 128 characters without spaces or braces (got "${scope}")`);
  }
  const base = `{${options.alertsStreamKey ?? 'alerts'}}:ratelimit:${scope}:${severity}`;
  return { bucketKey: `${base}:bucket`, dayKey: `${base}:day:${utcDay(nowMs)}`, dayKeyTtlSeconds: 2 * 86_400 };
}
