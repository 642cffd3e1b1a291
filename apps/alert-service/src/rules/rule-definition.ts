import { z } from 'zod';
import { RuleValidationError, formatFieldPath, type RuleValidationIssue } from './rule-validation-error';
import { ruleConsistencyIssues } from './rule-consistency';
import { ruleTriggerSchema } from './rule-trigger';

/** Longest `pendingSeconds`, `keepFiringSeconds` or `cooldownSeconds` accepted: 7 days. */
export const MAX_RULE_SECONDS = 7 * 24 * 3600;
/** Longest `price_change` window accepted: 30 days. */
export const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

const seconds = (max: number) => z.number().int().min(0).max(max).default(0);

/**
 * A suggested action for one severity. Only `apply_policy` exists today: ask the
 * rebalancer to switch to a slower (`Slow`) or stopped (`Freeze`) policy. New action types
 * are added as new members of this union.
 */
export const ruleActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('apply_policy'),
    mode: z.enum(['Slow', 'Freeze']),
    reason: z.string().max(500).optional(),
  }),
]);

/** A suggested action (see {@link ruleActionSchema}). */
export type RuleAction = z.output<typeof ruleActionSchema>;

const severityMap = <T extends z.ZodType>(value: T) =>
  z.strictObject({ S1: value.optional(), S2: value.optional(), S3: value.optional() });

/** Fields every rule kind shares. */
const commonFields = {
  /** Stable slug: `[a-z0-9._-]{1,64}`. */
  id: z.string().regex(/^[a-z0-9._-]{1,64}$/, 'must be 1 to 64 characters of a-z, 0-9, ".", "_" or "-"'),
  /** Name for people. */
  name: z.string().trim().min(1).max(200),
  /** Disabled rules observe nothing (default true). */
  enabled: z.boolean().default(true),
  /** Threshold per severity; at least one, monotonic in the rule's direction. */
  severities: severityMap(z.number()),
  /** Hysteresis: a firing alert clears only past this level (default: the least severe threshold). */
  recovery: z.number().optional(),
  /** How long the condition must hold before the alert fires (default 0: at once). */
  pendingSeconds: seconds(MAX_RULE_SECONDS),
  /** How long a cleared alert keeps firing before it resolves (default 0). */
  keepFiringSeconds: seconds(MAX_RULE_SECONDS),
  /** After a resolution, how long the same fingerprint cannot raise again (default 0). */
  cooldownSeconds: seconds(MAX_RULE_SECONDS),
  /** Suggested action per severity. */
  actions: severityMap(ruleActionSchema).optional(),
  /** Extra static labels, part of the fingerprint. */
  labels: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'label names match [A-Za-z_][A-Za-z0-9_]{0,63}'), z.string().max(256))
    .optional(),
  /** Templates rendered on each transition, e.g. `{{symbol}} above {{threshold}}`. */
  annotations: z.strictObject({ summary: z.string().max(500).optional(), description: z.string().max(4000).optional() }).optional(),
  /** How often the rule fires: `every_time` (default), `once`, or `{once_per: "1h"}` (see `ruleTriggerSchema`). */
  trigger: ruleTriggerSchema.default('every_time'),
  /** RFC 3339 time from which the rule evaluates nothing (events at or after it, by their time); absent: never. */
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 time with a zone, e.g. 2026-12-31T23:59:59Z' })
    .optional()
    .describe('events dated at or after this time are not evaluated by the rule'),
};

const symbol = z.string().min(1).max(32);
const portfolioId = z.string().min(1).max(128);

/** A price crosses above or below a level (event `price_update`; value = the price). */
export const priceThresholdRuleSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('price_threshold'),
  symbol,
  direction: z.enum(['above', 'below']),
});

/**
 * A price moves by a percentage within a window (event `price_update`). Value = the move in
 * percent in the rule's direction: `up` (price − ref) / ref × 100, `down` the negation of that
 * (a 6 % fall is 6), `either` its absolute value. Thresholds are positive percentages.
 */
export const priceChangeRuleSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('price_change'),
  symbol,
  windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
  direction: z.enum(['up', 'down', 'either']),
});

/**
 * A holding's weight deviates from its target (event `portfolio_snapshot`), one alert per
 * symbol. Value in percent: `absolute` |w − t| × 100 (percentage points: weight 0.30 vs target
 * 0.25 is 5); `relative` |w − t| / t × 100 (percent of the target: 0.30 vs 0.25 is 20).
 * `portfolioId` omitted = every portfolio.
 */
export const portfolioDriftRuleSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('portfolio_drift'),
  portfolioId: portfolioId.optional(),
  band: z.enum(['relative', 'absolute']),
});

/**
 * A risk metric passes a level (event `risk_metric`; value = the metric's value).
 * `portfolioId` / `window` filter events when set. `direction` default `above`.
 */
export const riskThresholdRuleSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('risk_threshold'),
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must match [a-z][a-z0-9_]{0,63}, e.g. var_95'),
  portfolioId: portfolioId.optional(),
  window: z.string().min(1).max(32).optional(),
  direction: z.enum(['above', 'below']).default('above'),
});

/**
 * A service reports degraded or down (event `system_status`). Value: healthy 0, degraded 1,
 * down 2, so `{S2: 1, S3: 2}` makes degraded major and down critical. `service` omitted = every service.
 */
export const serviceHealthRuleSchema = z.strictObject({
  ...commonFields,
  kind: z.literal('service_health'),
  service: z.string().min(1).max(64).optional(),
});

/** Every rule kind. */
export const RULE_KINDS = ['price_threshold', 'price_change', 'portfolio_drift', 'risk_threshold', 'service_health'] as const;

/**
 * A rule definition: a discriminated union on `kind`, with the cross-field checks
 * (thresholds monotonic, recovery on the safe side, actions only for defined severities,
 * reserved label names, known template variables).
 */
export const ruleDefinitionSchema = z
  .discriminatedUnion('kind', [
    priceThresholdRuleSchema,
    priceChangeRuleSchema,
    portfolioDriftRuleSchema,
    riskThresholdRuleSchema,
    serviceHealthRuleSchema,
  ])
  .superRefine((rule, ctx) => {
    for (const issue of ruleConsistencyIssues(rule)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/** A validated rule with every default applied. */
export type RuleDefinition = z.output<typeof ruleDefinitionSchema>;
/** What a client may send: defaults (`enabled`, the seconds, risk `direction`) may be omitted. */
export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;
/** A rule kind. */
export type RuleKind = RuleDefinition['kind'];
/** A rule of one kind. */
export type RuleOfKind<K extends RuleKind> = Extract<RuleDefinition, { kind: K }>;
/** Threshold per severity. */
export type SeverityThresholds = RuleDefinition['severities'];

/** Turns zod issues into field issues; an unknown key becomes one issue at that key's path. */
function toValidationIssues(error: z.ZodError, prefix: (string | number)[] = []): RuleValidationIssue[] {
  const issues: RuleValidationIssue[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key];
        issues.push({ field: formatFieldPath(path), path, message: 'unknown field' });
      }
    } else {
      issues.push({ field: formatFieldPath(base), path: base, message: issue.message });
    }
  }
  return issues;
}

/**
 * Validates one rule definition and applies its defaults.
 * @throws RuleValidationError (code `ERR_RULE_INVALID`) listing every issue with its field
 */
export function parseRuleDefinition(input: unknown): RuleDefinition {
  const result = ruleDefinitionSchema.safeParse(input);
  if (!result.success) throw new RuleValidationError(toValidationIssues(result.error));
  return result.data;
}

/**
 * Validates a list of rule definitions (e.g. a seed file); ids must be unique. Fields are
 * reported with their index, e.g. `[2].severities.S3`.
 * @throws RuleValidationError (code `ERR_RULE_INVALID`) listing every issue of every rule
 */
export function parseRuleDefinitions(input: unknown): RuleDefinition[] {
  if (!Array.isArray(input)) {
    throw new RuleValidationError([{ field: '', path: [], message: 'expected an array of rule definitions' }]);
  }
  const issues: RuleValidationIssue[] = [];
  const rules: RuleDefinition[] = [];
  const seen = new Set<string>();
  input.forEach((item, index) => {
    const result = ruleDefinitionSchema.safeParse(item);
    if (!result.success) {
      issues.push(...toValidationIssues(result.error, [index]));
      return;
    }
    if (seen.has(result.data.id)) {
      const path = [index, 'id'];
      issues.push({ field: formatFieldPath(path), path, message: `duplicate rule id "${result.data.id}"` });
    }
    seen.add(result.data.id);
    rules.push(result.data);
  });
  if (issues.length > 0) throw new RuleValidationError(issues);
  return rules;
}
