import { RESERVED_LABELS } from './alert-labels';
import { templatePlaceholders, templateVariables } from './annotation-template';
import type { RuleDefinition, RuleKind } from './rule-definition';
import { definedThresholds, recoveryLevel, thresholdDirection } from './rule-thresholds';
import { SEVERITIES } from './severity';

/** A cross-field problem: where, and what is wrong. */
export interface ConsistencyIssue {
  /** Path of the offending field, e.g. `['severities', 'S2']`. */
  path: (string | number)[];
  /** What is wrong and what was expected. */
  message: string;
}

/**
 * The checks a field-by-field schema cannot make: thresholds in range for the kind and
 * monotonic in the rule's direction, recovery on the safe side of the least severe
 * threshold (and passable), actions only for defined severities, no reserved static label
 * names, only known template variables. Empty when the rule is consistent.
 */
export function ruleConsistencyIssues(rule: RuleDefinition): ConsistencyIssue[] {
  const issues: ConsistencyIssue[] = [];
  const thresholds = definedThresholds(rule);
  if (thresholds.length === 0) {
    return [{ path: ['severities'], message: 'define at least one of S1, S2, S3' }];
  }
  for (const { severity, threshold } of thresholds) {
    const problem = thresholdProblem(rule.kind, threshold);
    if (problem) issues.push({ path: ['severities', severity], message: problem });
  }
  const direction = thresholdDirection(rule);
  for (let i = 1; i < thresholds.length; i += 1) {
    const lower = thresholds[i - 1] as (typeof thresholds)[number];
    const higher = thresholds[i] as (typeof thresholds)[number];
    const ok = direction === 'above' ? higher.threshold > lower.threshold : higher.threshold < lower.threshold;
    if (!ok) {
      issues.push({
        path: ['severities', higher.severity],
        message: `must be ${direction === 'above' ? 'greater' : 'less'} than ${lower.severity} (${lower.threshold}) for a rule where ${direction === 'above' ? 'higher' : 'lower'} is worse`,
      });
    }
  }
  if (rule.recovery !== undefined) issues.push(...recoveryIssues(rule));
  for (const severity of SEVERITIES) {
    if (rule.actions?.[severity] && rule.severities[severity] === undefined) {
      issues.push({ path: ['actions', severity], message: `no ${severity} threshold is defined` });
    }
  }
  for (const name of Object.keys(rule.labels ?? {})) {
    if (RESERVED_LABELS.includes(name)) issues.push({ path: ['labels', name], message: `"${name}" is set by the engine` });
  }
  const known = templateVariables(rule);
  for (const field of ['summary', 'description'] as const) {
    const template = rule.annotations?.[field];
    const unknown = template === undefined ? [] : templatePlaceholders(template).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      issues.push({
        path: ['annotations', field],
        message: `unknown template variable ${unknown.map((name) => `{{${name}}}`).join(', ')}; known: ${[...known].join(', ')}`,
      });
    }
  }
  return issues;
}

function thresholdProblem(kind: RuleKind, threshold: number): string | undefined {
  switch (kind) {
    case 'price_threshold':
      return threshold > 0 ? undefined : 'a price threshold must be greater than 0';
    case 'price_change':
    case 'portfolio_drift':
      return threshold > 0 ? undefined : 'must be a percentage greater than 0';
    case 'service_health':
      return threshold === 1 || threshold === 2 ? undefined : 'must be 1 (degraded) or 2 (down)';
    default:
      return undefined;
  }
}

function recoveryIssues(rule: RuleDefinition): ConsistencyIssue[] {
  const recovery = rule.recovery as number;
  const direction = thresholdDirection(rule);
  const entry = definedThresholds(rule)[0] as { severity: string; threshold: number };
  if (direction === 'above' && recovery > entry.threshold) {
    return [{ path: ['recovery'], message: `must be at most the least severe threshold (${entry.severity}: ${entry.threshold})` }];
  }
  if (direction === 'below' && recovery < entry.threshold) {
    return [{ path: ['recovery'], message: `must be at least the least severe threshold (${entry.severity}: ${entry.threshold})` }];
  }
  // These values never go below 0, so a recovery at or below 0 would never clear.
  const nonNegative = rule.kind === 'portfolio_drift' || rule.kind === 'service_health' || rule.kind === 'price_threshold';
  if (nonNegative && direction === 'above' && recoveryLevel(rule) <= 0) {
    return [{ path: ['recovery'], message: 'must be greater than 0, or the alert could never resolve' }];
  }
  return [];
}
