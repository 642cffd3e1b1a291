import fc from 'fast-check';

/** A request body and the fields a 400 must name (none: the body is valid). */
export interface BodyCase {
  /** The body (`undefined`: no body at all). */
  readonly body: unknown;
  /** Fields (or field prefixes) of which `field` must be one; empty when the body is valid. */
  readonly defects: readonly string[];
}

/** Stands for a fresh rule id, replaced when the request is built ({@link withRuleId}). */
export const RULE_ID = '$RULE_ID';

/** One valid rule per kind (docs/api.md, apps/alert-service/src/rules/README.md); the fuzz symbols see no events. */
export const RULE_TEMPLATES: Readonly<Record<string, Record<string, unknown>>> = {
  price_threshold: { id: RULE_ID, name: 'fuzz', kind: 'price_threshold', symbol: 'FZ', direction: 'above', severities: { S1: 100, S2: 200, S3: 300 } },
  price_change: { id: RULE_ID, name: 'fuzz', kind: 'price_change', symbol: 'FZ', windowSeconds: 300, direction: 'either', severities: { S1: 5, S2: 10 } },
  portfolio_drift: { id: RULE_ID, name: 'fuzz', kind: 'portfolio_drift', portfolioId: 'p-fz', band: 'absolute', severities: { S1: 5, S2: 10 } },
  risk_threshold: { id: RULE_ID, name: 'fuzz', kind: 'risk_threshold', metric: 'var_95', portfolioId: 'p-fz', severities: { S1: 0.1, S2: 0.2 } },
  service_health: { id: RULE_ID, name: 'fuzz', kind: 'service_health', service: 'fz', severities: { S2: 1, S3: 2 } },
};

/** One change to a template: set (or delete) a top-level field; `field` is what a 400 must name. */
interface Mutation {
  readonly key: string;
  readonly value?: unknown;
  readonly remove?: boolean;
  readonly field: readonly string[];
}

const set = (key: string, values: unknown[], field: readonly string[] = [key]): Mutation[] => values.map((value) => ({ key, value, field }));
const drop = (key: string): Mutation => ({ key, remove: true, field: [key] });
const SECONDS_BAD = [-1, 1.5, 604_801, '10', null, true];

/** Mutations every kind refuses. */
const COMMON: Mutation[] = [
  drop('name'),
  drop('kind'),
  drop('severities'),
  ...set('name', ['', '   ', 'x'.repeat(201), 42, null, []]),
  ...set('enabled', ['yes', 1, null]),
  ...set('severities', [[], 'x', null, 5, {}, { S4: 1 }, { S1: '1' }, { S1: null }]),
  ...set('pendingSeconds', SECONDS_BAD),
  ...set('keepFiringSeconds', SECONDS_BAD),
  ...set('cooldownSeconds', SECONDS_BAD),
  ...set('kind', ['nope', 1, null, 'PRICE_THRESHOLD'], ['kind']),
  ...set('recovery', ['x', null, {}]),
  ...set('labels', [{ '1bad': 'x' }, { a: 5 }, { a: 'x'.repeat(257) }, { rule: 'mine' }, { symbol: 'mine' }, 'x', []]),
  ...set('annotations', [{ summary: 'x'.repeat(501) }, { foo: 'x' }, 'x', { description: 5 }, { summary: '{{nope}}' }]),
  ...set('actions', [{ S1: { type: 'nope' } }, { S1: { type: 'apply_policy', mode: 'Fast' } }, { S4: { type: 'apply_policy', mode: 'Slow' } }, { S1: { type: 'apply_policy', mode: 'Slow', extra: 1 } }, 'x']),
];

/** Mutations of one kind's own fields, and of cross-field consistency. */
const BY_KIND: Record<string, Mutation[]> = {
  price_threshold: [
    drop('symbol'),
    drop('direction'),
    ...set('symbol', ['', 'x'.repeat(33), 5]),
    ...set('direction', ['sideways', 'up', null]),
    ...set('severities', [{ S1: 300, S2: 200 }, { S1: 0 }, { S1: -5 }]),
    ...set('recovery', [500], ['recovery', 'severities']),
  ],
  price_change: [
    drop('windowSeconds'),
    ...set('windowSeconds', [0, 2_592_001, 1.5, '60']),
    ...set('direction', ['above', 'sideways']),
    // An action for a severity without a threshold.
    ...set('actions', [{ S3: { type: 'apply_policy', mode: 'Slow' } }]),
  ],
  portfolio_drift: [drop('band'), ...set('band', ['total', null]), ...set('portfolioId', ['', 'x'.repeat(129)])],
  risk_threshold: [drop('metric'), ...set('metric', ['VaR', '9x', '', 'x'.repeat(65)]), ...set('window', ['', 'x'.repeat(33)]), ...set('direction', ['sideways'])],
  service_health: [...set('service', ['', 'x'.repeat(65)]), ...set('severities', [{ S1: 5 }, { S2: 3 }])],
};

/** Ids a rule cannot have (`[a-z0-9._-]{1,64}`). */
const BAD_IDS = ['UPPER', '', 'a b', 'x'.repeat(65), 5, null, 'é', 'a/b'];

/** Top-level keys no rule knows: each must be refused as `unknown field`. */
const unknownKey = fc.string({ minLength: 1, maxLength: 10 }).filter((key) => !['id', 'name', 'kind', 'enabled', 'severities', 'recovery', 'pendingSeconds', 'keepFiringSeconds', 'cooldownSeconds', 'actions', 'labels', 'annotations', 'symbol', 'direction', 'windowSeconds', 'band', 'portfolioId', 'metric', 'window', 'service'].includes(key));

function apply(template: Record<string, unknown>, mutation: Mutation): Record<string, unknown> {
  const body = structuredClone(template);
  if (mutation.remove) delete body[mutation.key];
  else body[mutation.key] = mutation.value;
  return body;
}

const NOT_AN_OBJECT = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));

/**
 * Bodies of `POST /rules` (`forPut` false) or `PUT /rules/{id}` (`forPut` true: the body's id
 * may be omitted, and a different one is refused): valid templates, one mutation of a
 * template, an unknown field, or JSON that is no rule at all.
 */
export function ruleBody(forPut: boolean): fc.Arbitrary<BodyCase> {
  const kinds = Object.keys(RULE_TEMPLATES);
  const template = fc.constantFrom(...kinds);
  const idCases: fc.Arbitrary<BodyCase> = forPut
    ? template.map((kind) => ({ body: { ...RULE_TEMPLATES[kind], id: 'another-id' }, defects: ['id'] }))
    : fc.tuple(template, fc.constantFrom(...BAD_IDS)).map(([kind, id]) => ({ body: { ...RULE_TEMPLATES[kind], id }, defects: ['id'] }));
  return fc.oneof(
    { weight: 1, arbitrary: template.map((kind) => ({ body: RULE_TEMPLATES[kind], defects: [] })) },
    { weight: 6, arbitrary: template.chain((kind) => fc.constantFrom(...COMMON, ...(BY_KIND[kind] ?? [])).map((mutation) => ({ body: apply(RULE_TEMPLATES[kind] as Record<string, unknown>, mutation), defects: mutation.field }))) },
    { weight: 1, arbitrary: fc.tuple(template, unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([kind, key, value]) => ({ body: { ...RULE_TEMPLATES[kind], [key]: value }, defects: [key] })) },
    { weight: 1, arbitrary: idCases },
    // No rule at all: the whole body, or (for an object) whatever required field it lacks first.
    { weight: 1, arbitrary: NOT_AN_OBJECT.map((body) => ({ body, defects: ['body', 'kind'] })) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((body) => ({ body, defects: ['body', 'kind', ...Object.keys(body), 'id', 'name', 'severities'] })) },
  );
}

/** `body` with every {@link RULE_ID} placeholder replaced by `id`. */
export function withRuleId(body: unknown, id: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  return record['id'] === RULE_ID ? { ...record, id } : record;
}
