import type { RuleDefinition, RuleKind } from './rule-definition';

/** Values a template can use; a missing or undefined one renders as an empty string. */
export type TemplateVariables = Readonly<Record<string, string | number | undefined>>;

/** Rendered annotations of a transition. */
export interface RenderedAnnotations {
  /** One line for people; the rule's `annotations.summary`, or the kind's default summary. */
  summary: string;
  /** Longer text, only when the rule defines `annotations.description`. */
  description?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Variables every rule's templates can use. */
export const COMMON_TEMPLATE_VARIABLES: readonly string[] = [
  'rule', // rule id
  'ruleName',
  'kind',
  'value', // the observed value (see each kind's unit)
  'severity', // S1 | S2 | S3
  'severityName', // info | major | critical
  'threshold', // the threshold of `severity`
  'recovery', // the recovery level
  'transition', // raise | update | resolve
];

/** Variables each kind adds (its labels and the details of its observations). */
export const KIND_TEMPLATE_VARIABLES: Readonly<Record<RuleKind, readonly string[]>> = {
  price_threshold: ['symbol', 'price', 'currency', 'direction'],
  price_change: ['symbol', 'price', 'referencePrice', 'changePercent', 'windowSeconds', 'currency', 'direction'],
  portfolio_drift: [
    'portfolioId',
    'symbol',
    'weight',
    'target',
    'weightPercent',
    'targetPercent',
    'deviationPercent',
    'holdingValue',
    'totalValue',
    'band',
  ],
  risk_threshold: ['metric', 'portfolioId', 'window', 'direction'],
  service_health: ['service', 'instance', 'status', 'reason'],
};

/** The summary used when a rule defines none. */
export const DEFAULT_SUMMARIES: Readonly<Record<RuleKind, string>> = {
  price_threshold: '{{symbol}} price {{direction}} {{threshold}}: {{price}} {{currency}}',
  price_change: '{{symbol}} moved {{changePercent}}% in {{windowSeconds}}s (now {{price}} {{currency}})',
  portfolio_drift:
    '{{portfolioId}}: {{symbol}} weight {{weightPercent}}% vs target {{targetPercent}}% ({{band}} drift {{value}}%)',
  risk_threshold: '{{metric}} {{direction}} {{threshold}}: {{value}}',
  service_health: '{{service}} is {{status}}: {{reason}}',
};

/** Every variable a rule's templates may name: common, its kind's, and its static label names. */
export function templateVariables(rule: Pick<RuleDefinition, 'kind' | 'labels'>): ReadonlySet<string> {
  return new Set([...COMMON_TEMPLATE_VARIABLES, ...KIND_TEMPLATE_VARIABLES[rule.kind], ...Object.keys(rule.labels ?? {})]);
}

/** The variable names a template refers to, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  return [...names];
}

/**
 * Formats a template value: strings as they are; numbers with at most 8 significant digits
 * and no trailing zeros (`101234.56789` → `101234.57`, `0.05` → `0.05`).
 */
export function formatTemplateValue(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(8)));
}

/** Replaces each `{{name}}` (spaces allowed inside the braces) with its formatted variable. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  return template.replace(PLACEHOLDER, (_match, name: string) =>
    formatTemplateValue(Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined),
  );
}

/** Renders a rule's annotations (or its kind's default summary) with `variables`. */
export function renderAnnotations(
  rule: Pick<RuleDefinition, 'kind' | 'annotations'>,
  variables: TemplateVariables,
): RenderedAnnotations {
  const summary = renderTemplate(rule.annotations?.summary ?? DEFAULT_SUMMARIES[rule.kind], variables);
  const description = rule.annotations?.description;
  return description === undefined ? { summary } : { summary, description: renderTemplate(description, variables) };
}
