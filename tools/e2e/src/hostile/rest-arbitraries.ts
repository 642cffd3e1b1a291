import fc from 'fast-check';
import type { BodyCase } from './rule-arbitraries';

/** Stands for an `endsAt` one day ahead, replaced when the request is built ({@link withTimes}). */
export const FUTURE = '$FUTURE';

const NOT_AN_OBJECT = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
const unknownKey = (known: readonly string[]) => fc.string({ minLength: 1, maxLength: 10 }).filter((key) => !known.includes(key));

/** Bodies of `POST /alerts/{id}/acknowledge` and `/resolve`: none or `{}` are valid; anything else names its field. */
export const emptyBody: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.constant<BodyCase>({ body: undefined, defects: [] }),
  fc.constant<BodyCase>({ body: {}, defects: [] }),
  fc.tuple(unknownKey([]), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({ body: { [key]: value }, defects: [key] })),
  NOT_AN_OBJECT.map((body) => ({ body, defects: ['body'] })),
);

/** Bodies of `POST /alerts/{id}/snooze`: `{minutes: 5..1440}` (docs/api.md). */
export const snoozeBody: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.integer({ min: 5, max: 1_440 }).map((minutes) => ({ body: { minutes }, defects: [] })),
  fc
    .oneof(
      fc.integer({ max: 4 }),
      fc.integer({ min: 1_441 }),
      fc.double({ noNaN: true }).filter((value) => !Number.isInteger(value)),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(null, true, [], {}, 1e308, -0.5, 5.5, '30', [30]),
    )
    .map((minutes) => ({ body: { minutes }, defects: ['minutes'] })),
  fc.constant<BodyCase>({ body: {}, defects: ['minutes'] }),
  fc.constant<BodyCase>({ body: undefined, defects: ['body', 'minutes'] }),
  fc.tuple(unknownKey(['minutes']), fc.integer({ min: 5, max: 1_440 })).map(([key, minutes]) => ({ body: { minutes, [key]: 1 }, defects: [key] })),
  NOT_AN_OBJECT.map((body) => ({ body, defects: ['body'] })),
);

const SILENCE = { matchers: [{ name: 'symbol', value: 'FZ' }], endsAt: FUTURE, comment: 'fuzz' };
const SILENCE_MUTATIONS: Array<[string, unknown, string[]]> = [
  ['matchers', [], ['matchers']],
  ['matchers', 'x', ['matchers']],
  ['matchers', Array.from({ length: 33 }, () => ({ name: 'a', value: 'b' })), ['matchers']],
  ['matchers', [{ name: '1x', value: 'a' }], ['matchers[0].name']],
  ['matchers', [{ value: 'a' }], ['matchers[0].name']],
  ['matchers', [{ name: 'a', value: 'x'.repeat(1_025) }], ['matchers[0].value']],
  ['matchers', [{ name: 'a', value: '(', isRegex: true }], ['matchers[0].value']],
  ['matchers', [{ name: 'a', value: '[z-a]', isRegex: true }], ['matchers[0].value']],
  ['matchers', [{ name: 'a', value: 'b', isRegex: 'yes' }], ['matchers[0].isRegex']],
  ['matchers', [{ name: 'a', value: 'b', isEqual: 1 }], ['matchers[0].isEqual']],
  ['matchers', [{ name: 'a', value: 'b', extra: 1 }], ['matchers[0].extra', 'matchers[0]']],
  ['matchers', [{ name: 'a', value: 5 }], ['matchers[0].value']],
  ['endsAt', undefined, ['endsAt']],
  ['endsAt', '2001-01-01T00:00:00Z', ['endsAt']],
  ['endsAt', 'tomorrow', ['endsAt']],
  ['endsAt', '2030-13-45T00:00:00Z', ['endsAt']],
  ['endsAt', -1, ['endsAt']],
  ['endsAt', 1.5, ['endsAt']],
  ['endsAt', 1e300, ['endsAt']],
  ['startsAt', '2999-01-01T00:00:00Z', ['endsAt', 'startsAt']],
  ['startsAt', 'x', ['startsAt']],
  ['comment', undefined, ['comment']],
  ['comment', '', ['comment']],
  ['comment', '   ', ['comment']],
  ['comment', 'x'.repeat(2_001), ['comment']],
  ['comment', 5, ['comment']],
  ['createdBy', '', ['createdBy']],
  ['createdBy', 'x'.repeat(201), ['createdBy']],
  ['createdBy', 5, ['createdBy']],
];

/** Bodies of `POST /silences`: a valid silence, one mutation of it, an unknown field, or no object. */
export const silenceBody: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.constant<BodyCase>({ body: SILENCE, defects: [] }),
  fc.constantFrom(...SILENCE_MUTATIONS).map(([key, value, defects]) => {
    const body: Record<string, unknown> = { ...SILENCE };
    if (value === undefined) delete body[key];
    else body[key] = value;
    return { body, defects };
  }),
  unknownKey(['matchers', 'startsAt', 'endsAt', 'createdBy', 'comment']).map((key) => ({ body: { ...SILENCE, [key]: 1 }, defects: [key] })),
  NOT_AN_OBJECT.map((body) => ({ body, defects: ['body'] })),
);

/** `body` with {@link FUTURE} replaced by a time one day ahead. */
export function withTimes(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  return record['endsAt'] === FUTURE ? { ...record, endsAt: new Date(Date.now() + 86_400_000).toISOString() } : record;
}

/** A query string and the parameters a 400 must name (none: valid). */
export interface QueryCase {
  /** `?a=b&...` (empty for none). */
  readonly query: string;
  readonly defects: readonly string[];
}

type Param = { readonly pair: [string, string]; readonly bad: boolean };
const good = (name: string, values: fc.Arbitrary<string>): fc.Arbitrary<Param> => values.map((value) => ({ pair: [name, value], bad: false }));
const bad = (name: string, values: fc.Arbitrary<string>): fc.Arbitrary<Param> => values.map((value) => ({ pair: [name, value], bad: true }));
const otherThan = (valid: readonly string[]) => fc.string({ maxLength: 12 }).filter((value) => !valid.includes(value));

const STATUSES = ['firing', 'acknowledged', 'snoozed', 'resolved'];
const SEVERITIES = ['S1', 'S2', 'S3'];
const KINDS = ['price_threshold', 'price_change', 'portfolio_drift', 'risk_threshold', 'service_health'];
const ALERT_PARAMS = ['status', 'severity', 'type', 'label', 'limit', 'cursor'];

/** One parameter of `GET /alerts`, right or wrong. */
const alertParam: fc.Arbitrary<Param> = fc.oneof(
  good('status', fc.constantFrom(...STATUSES)),
  good('severity', fc.constantFrom(...SEVERITIES)),
  good('type', fc.constantFrom(...KINDS)),
  good('label', fc.tuple(fc.string({ minLength: 1, maxLength: 8 }).filter((name) => !name.includes('=')), fc.string({ maxLength: 8 })).map(([name, value]) => `${name}=${value}`)),
  good('limit', fc.integer({ min: 1, max: 500 }).map(String)),
  bad('status', otherThan(STATUSES)),
  bad('severity', otherThan(SEVERITIES)),
  bad('type', otherThan(KINDS)),
  bad('label', fc.constantFrom('ab', '=b', '')),
  bad('limit', fc.constantFrom('0', '501', '-1', '1.5', 'abc', '', ' 5', '1e2', '0x10', '99999999999999999999')),
  bad('cursor', fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('', 'x'.repeat(1_025)))),
  fc.string({ minLength: 1, maxLength: 10 }).filter((name) => !ALERT_PARAMS.includes(name)).map((name) => ({ pair: [name, 'x'] as [string, string], bad: true })),
);

function queryCase(params: readonly Param[], repeatable: readonly string[], maxRepeats: number): QueryCase {
  const defects = new Set(params.filter((param) => param.bad).map((param) => param.pair[0]));
  const counts = new Map<string, number>();
  for (const { pair } of params) counts.set(pair[0], (counts.get(pair[0]) ?? 0) + 1);
  for (const [name, count] of counts) if (count > (repeatable.includes(name) ? maxRepeats : 1)) defects.add(name);
  const query = new URLSearchParams(params.map((param) => param.pair)).toString();
  return { query: query === '' ? '' : `?${query}`, defects: [...defects] };
}

/** Query strings of `GET /alerts`: up to 4 parameters (repeats of one are invalid, except `label`, up to 10). */
export const alertsQuery: fc.Arbitrary<QueryCase> = fc.oneof(
  fc.array(alertParam, { maxLength: 4 }).map((params) => queryCase(params, ['label'], 10)),
  fc.integer({ min: 11, max: 14 }).map((count) => queryCase(Array.from({ length: count }, (_, i) => ({ pair: ['label', `a${i}=b`] as [string, string], bad: false })), ['label'], 10)),
);

/** Query strings of `GET /silences`: `state` = pending, active or expired. */
export const silencesQuery: fc.Arbitrary<QueryCase> = fc
  .array(
    fc.oneof(
      good('state', fc.constantFrom('pending', 'active', 'expired')),
      bad('state', otherThan(['pending', 'active', 'expired'])),
      fc.string({ minLength: 1, maxLength: 10 }).filter((name) => name !== 'state').map((name) => ({ pair: [name, '1'] as [string, string], bad: true })),
    ),
    { maxLength: 2 },
  )
  .map((params) => queryCase(params, [], 1));
