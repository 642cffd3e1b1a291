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

/**
 * Whether `rule` can still produce an alert with `labels`: its id and kind, exactly its static
 * labels, and the subject it is fixed to (a price rule's symbol; a portfolio, metric, window or
 * service when the rule names one). An open alert whose labels fail this after its rule was
 * replaced will never be evaluated again: its fingerprint is no longer observed.
 */
export function ruleProducesLabels(rule: RuleDefinition, labels: Readonly<Record<string, string>>): boolean {
  if (labels['rule'] !== rule.id || labels['kind'] !== rule.kind) return false;
  const staticNames = Object.keys(labels).filter((name) => !RESERVED_LABELS.includes(name));
  const expected = rule.labels ?? {};
  if (staticNames.length !== Object.keys(expected).length || staticNames.some((name) => expected[name] !== labels[name])) return false;
  const fixed = (name: string, value: string | undefined) => value === undefined || labels[name] === value;
  switch (rule.kind) {
    case 'price_threshold':
    case 'price_change':
      return fixed('symbol', rule.symbol);
    case 'portfolio_drift':
      return fixed('portfolioId', rule.portfolioId);
    case 'risk_threshold':
      return fixed('metric', rule.metric) && fixed('portfolioId', rule.portfolioId) && fixed('window', rule.window);
    case 'service_health':
      return fixed('service', rule.service);
  }
}
