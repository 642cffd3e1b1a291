import type { RuleDefinition } from './rule-definition';

/** Label names the engine sets itself; a rule's static `labels` may not use them. */
export const RESERVED_LABELS: readonly string[] = [
  'rule',
  'kind',
  'symbol',
  'portfolioId',
  'metric',
  'window',
  'service',
  'instance',
  'alertname',
];

/**
 * The labels of an alert: the rule's static `labels`, then `rule` (the rule id) and `kind`,
 * then what identifies the observed thing (`symbol`, `portfolioId`, `metric`, `service`...).
 * Entries whose value is `undefined` are left out. Engine labels win over static ones
 * (validation already rejects static labels with reserved names).
 */
export function alertLabels(
  rule: Pick<RuleDefinition, 'id' | 'kind' | 'labels'>,
  subject: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const labels: Record<string, string> = { ...rule.labels, rule: rule.id, kind: rule.kind };
  for (const [name, value] of Object.entries(subject)) {
    if (value !== undefined) labels[name] = value;
  }
  return labels;
}
