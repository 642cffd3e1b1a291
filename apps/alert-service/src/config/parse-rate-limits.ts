import { z } from 'zod';
import { resolveRateLimitPolicy, type Severity, type SeverityBudget } from '../rules';

const budget = z.strictObject({ perMinute: z.number().positive().optional(), burst: z.number().positive().optional(), perDay: z.number().positive().optional() });
const overrides = z.strictObject({ S1: budget.optional(), S2: budget.optional(), S3: budget.optional() });

/** Overrides of the notification budgets per severity (see the rules module's `DEFAULT_RATE_LIMIT_POLICY`). */
export type RateLimitOverrides = Partial<Record<Severity, Partial<SeverityBudget>>>;

/**
 * Parses `ALERT_RATE_LIMITS`: JSON such as `{"S1": {"perMinute": 6, "burst": 10, "perDay": 200}}`;
 * blank means the defaults. A field left out keeps its default, except `burst`, which follows
 * a `perMinute` set without it (see `resolveRateLimitPolicy`). Only notifications are limited,
 * never alert state.
 * @throws Error naming the bad field (the caller wraps it in a `ConfigError`)
 */
export function parseRateLimits(text: string): RateLimitOverrides {
  if (text.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON; expected e.g. {"S1": {"perMinute": 6, "burst": 10, "perDay": 200}}');
  }
  const result = overrides.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = [...(issue?.path ?? []), ...(issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].join('.');
    throw new Error(`${path || 'value'}: ${issue?.code === 'unrecognized_keys' ? 'unknown field' : issue?.message}`);
  }
  const parsed: RateLimitOverrides = {};
  for (const [severity, value] of Object.entries(result.data)) {
    if (value) parsed[severity as Severity] = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  }
  resolveRateLimitPolicy(parsed);
  return parsed;
}
