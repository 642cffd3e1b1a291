import { RULE_KINDS, type RuleJson, type RuleKind } from '../api/alert-api';

/** One input of the rule form; `name` is the API's field path (`symbol`, `severities.S2`). */
export interface RuleField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'number' | 'select';
  /** The choices of a select. */
  readonly options?: readonly string[];
  /** A hint shown under the input. */
  readonly hint?: string;
}

/** Fields every kind has, besides id, name, kind and enabled. */
export const COMMON_FIELDS: readonly RuleField[] = [
  { name: 'severities.S1', label: 'S1 (info) at', type: 'number' },
  { name: 'severities.S2', label: 'S2 (major) at', type: 'number' },
  { name: 'severities.S3', label: 'S3 (critical) at', type: 'number' },
  { name: 'recovery', label: 'Recovery level', type: 'number', hint: 'clears only past this value (hysteresis); empty: the lowest threshold' },
  { name: 'pendingSeconds', label: 'Pending (s)', type: 'number', hint: 'the breach must last this long before it fires' },
  { name: 'keepFiringSeconds', label: 'Keep firing (s)', type: 'number' },
  { name: 'cooldownSeconds', label: 'Cooldown (s)', type: 'number' },
  { name: 'annotations.summary', label: 'Summary', type: 'text', hint: 'e.g. {{symbol}} at {{price}}, above {{threshold}}' },
];

/** The fields of each kind (docs/api.md, the OpenAPI document's RuleInput). */
export const KIND_FIELDS: Readonly<Record<RuleKind, readonly RuleField[]>> = {
  price_threshold: [
    { name: 'symbol', label: 'Symbol', type: 'text' },
    { name: 'direction', label: 'Direction', type: 'select', options: ['above', 'below'] },
  ],
  price_change: [
    { name: 'symbol', label: 'Symbol', type: 'text' },
    { name: 'windowSeconds', label: 'Window (s)', type: 'number' },
    { name: 'direction', label: 'Direction', type: 'select', options: ['up', 'down', 'either'] },
  ],
  portfolio_drift: [
    { name: 'portfolioId', label: 'Portfolio (empty: every portfolio)', type: 'text' },
    { name: 'band', label: 'Band', type: 'select', options: ['relative', 'absolute'] },
  ],
  risk_threshold: [
    { name: 'metric', label: 'Metric', type: 'text', hint: 'e.g. var_95, volatility, max_drawdown' },
    { name: 'portfolioId', label: 'Portfolio (empty: every portfolio)', type: 'text' },
    { name: 'window', label: 'Window (empty: any)', type: 'text' },
    { name: 'direction', label: 'Direction', type: 'select', options: ['above', 'below'] },
  ],
  service_health: [{ name: 'service', label: 'Service (empty: any)', type: 'text' }],
};

const NUMBER_FIELDS: ReadonlySet<string> = new Set([...COMMON_FIELDS, ...Object.values(KIND_FIELDS).flat()].filter((f) => f.type === 'number').map((f) => f.name));
const KIND_SPECIFIC: ReadonlySet<string> = new Set(Object.values(KIND_FIELDS).flat().map((f) => f.name));
const EDITED = ['name', 'kind', 'enabled', 'severities', 'recovery', 'pendingSeconds', 'keepFiringSeconds', 'cooldownSeconds'];

/** Whether `kind` is a rule kind. */
export function isRuleKind(kind: string): kind is RuleKind {
  return (RULE_KINDS as readonly string[]).includes(kind);
}

/** The form's values for `rule` (every value as text; `enabled` as `true`/`false`), or for a new rule. */
export function ruleFormValues(rule?: RuleJson): Record<string, string> {
  if (rule === undefined) return { id: '', name: '', kind: 'price_threshold', enabled: 'true', direction: 'above' };
  const values: Record<string, string> = { id: rule.id, name: rule.name, kind: rule.kind, enabled: String(rule.enabled) };
  for (const field of [...COMMON_FIELDS, ...KIND_FIELDS[rule.kind]]) {
    const [head, tail] = field.name.split('.') as [string, string | undefined];
    const value = tail === undefined ? rule[head] : (rule[head] as Record<string, unknown> | undefined)?.[tail];
    if (typeof value === 'string' || typeof value === 'number') values[field.name] = String(value);
  }
  return values;
}

/** A form value as the API takes it: numbers for number fields (text the API will refuse, naming the field, when it is not one); undefined when empty. */
function convert(name: string, text: string | undefined): unknown {
  const value = text?.trim() ?? '';
  if (value === '') return undefined;
  if (!NUMBER_FIELDS.has(name)) return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

/**
 * The rule body the form describes, for `POST /rules` (with `id`) or `PUT /rules/{id}` (when
 * editing `base`, the rule's other fields, such as labels and actions, are kept). Checks
 * nothing itself: the API validates, and its errors are shown at the fields.
 */
export function ruleFromForm(values: Readonly<Record<string, string>>, base?: RuleJson): Record<string, unknown> {
  const kind = values['kind'] ?? '';
  const rule: Record<string, unknown> = {};
  if (base !== undefined) {
    for (const [key, value] of Object.entries(base)) if (!EDITED.includes(key) && !KIND_SPECIFIC.has(key)) rule[key] = value;
  } else {
    rule['id'] = values['id']?.trim() ?? '';
  }
  rule['name'] = values['name']?.trim() ?? '';
  rule['kind'] = kind;
  rule['enabled'] = values['enabled'] !== 'false';
  const severities: Record<string, unknown> = {};
  for (const level of ['S1', 'S2', 'S3']) {
    const value = convert(`severities.${level}`, values[`severities.${level}`]);
    if (value !== undefined) severities[level] = value;
  }
  rule['severities'] = severities;
  const fields = [...COMMON_FIELDS.filter((f) => !f.name.includes('.')), ...(isRuleKind(kind) ? KIND_FIELDS[kind] : [])];
  for (const field of fields) {
    const value = convert(field.name, values[field.name]);
    if (value !== undefined) rule[field.name] = value;
  }
  const annotations = { ...((base?.['annotations'] as Record<string, unknown> | undefined) ?? {}) };
  const summary = convert('annotations.summary', values['annotations.summary']);
  if (summary === undefined) delete annotations['summary'];
  else annotations['summary'] = summary;
  if (Object.keys(annotations).length > 0) rule['annotations'] = annotations;
  else delete rule['annotations'];
  return rule;
}

/** What the rules table says a rule watches, e.g. `BTC above`, `portfolio p-1 relative`, `var_95 above`. */
export function ruleTarget(rule: RuleJson): string {
  const text = (key: string) => (typeof rule[key] === 'string' ? (rule[key] as string) : '');
  switch (rule.kind) {
    case 'price_threshold':
      return `${text('symbol')} ${text('direction')}`;
    case 'price_change':
      return `${text('symbol')} ${text('direction')} in ${String(rule['windowSeconds'] ?? '?')} s`;
    case 'portfolio_drift':
      return `${text('portfolioId') || 'every portfolio'}, ${text('band')}`;
    case 'risk_threshold':
      return `${text('metric')} ${text('direction') || 'above'}${text('portfolioId') ? ` (${text('portfolioId')})` : ''}`;
    case 'service_health':
      return text('service') || 'any service';
  }
}

/** The thresholds as text, e.g. `S1 250 · S2 300`. */
export function ruleThresholds(rule: RuleJson): string {
  return (['S1', 'S2', 'S3'] as const)
    .filter((level) => rule.severities[level] !== undefined)
    .map((level) => `${level} ${rule.severities[level]}`)
    .join(' · ');
}
