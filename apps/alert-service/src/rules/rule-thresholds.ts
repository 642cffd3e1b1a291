import type { RuleDefinition } from './rule-definition';
import { SEVERITIES, type Severity } from './severity';

/**
 * Which way is worse for a rule's value: `above` (higher is worse: fires at value ≥ threshold)
 * or `below` (lower is worse: fires at value ≤ threshold).
 */
export type ThresholdDirection = 'above' | 'below';

/** The fields of a rule that its threshold logic reads. */
export type ThresholdRule = Pick<RuleDefinition, 'kind' | 'severities' | 'recovery'> & { direction?: string };

/**
 * The direction of a rule's thresholds. `price_threshold` and `risk_threshold` say it in
 * their `direction`; every other kind measures a magnitude where higher is worse
 * (`price_change` % move in the rule's direction, `portfolio_drift` deviation,
 * `service_health` 0 healthy / 1 degraded / 2 down).
 */
export function thresholdDirection(rule: Pick<ThresholdRule, 'kind' | 'direction'>): ThresholdDirection {
  if ((rule.kind === 'price_threshold' || rule.kind === 'risk_threshold') && rule.direction === 'below') return 'below';
  return 'above';
}

/** Whether `value` is at or past `threshold` in `direction` (inclusive: 100 passes an `above` 100). */
export function passesThreshold(direction: ThresholdDirection, value: number, threshold: number): boolean {
  return direction === 'above' ? value >= threshold : value <= threshold;
}

/** The defined thresholds, least severe first. */
export function definedThresholds(rule: Pick<ThresholdRule, 'severities'>): Array<{ severity: Severity; threshold: number }> {
  const defined: Array<{ severity: Severity; threshold: number }> = [];
  for (const severity of SEVERITIES) {
    const threshold = rule.severities[severity];
    if (threshold !== undefined) defined.push({ severity, threshold });
  }
  return defined;
}

/**
 * The highest severity whose threshold `value` passes, or `undefined` when it passes none
 * (direction-aware: for a `below` rule the lowest value is the worst).
 */
export function severityFor(rule: ThresholdRule, value: number): Severity | undefined {
  const direction = thresholdDirection(rule);
  let found: Severity | undefined;
  for (const { severity, threshold } of definedThresholds(rule)) {
    if (passesThreshold(direction, value, threshold)) found = severity;
  }
  return found;
}

/** The least severe defined severity and its threshold: where an alert starts. */
export function entryThreshold(rule: Pick<ThresholdRule, 'severities'>): { severity: Severity; threshold: number } {
  const first = definedThresholds(rule)[0];
  if (!first) throw new RangeError('a rule defines at least one severity threshold');
  return first;
}

/** The recovery level: `rule.recovery`, or the entry threshold when unset (no hysteresis). */
export function recoveryLevel(rule: ThresholdRule): number {
  return rule.recovery ?? entryThreshold(rule).threshold;
}

/**
 * Whether a firing alert's value has cleared: strictly past the recovery level on the safe
 * side (`above` rule: value < recovery; `below` rule: value > recovery). A value exactly at
 * the recovery level keeps the alert firing.
 */
export function isRecovered(rule: ThresholdRule, value: number): boolean {
  const recovery = recoveryLevel(rule);
  return thresholdDirection(rule) === 'above' ? value < recovery : value > recovery;
}
