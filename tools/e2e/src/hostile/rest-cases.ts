import fc from 'fast-check';
import { alertsQuery, emptyBody, silenceBody, silencesQuery, snoozeBody, withTimes, type QueryCase } from './rest-arbitraries';
import type { ExpectedAnswer, RestRequest } from './rest-probe';
import { ruleBody, withRuleId, type BodyCase } from './rule-arbitraries';

/** Stands for the id of a real alert in a generated case. */
export const REAL_ALERT = '$REAL_ALERT';

/** One generated call of the alert API: which operation, with what body or query, on which id. */
export type RestCase =
  | { readonly op: 'acknowledge' | 'resolve' | 'snooze'; readonly input: BodyCase; readonly alertId: string }
  | { readonly op: 'create-rule' | 'put-rule' | 'create-silence'; readonly input: BodyCase }
  | { readonly op: 'list-alerts' | 'list-silences'; readonly input: QueryCase };

/** Alert ids: a real alert, or ids no alert has (`.` and `..` would be resolved away by the URL). */
const alertId = fc.oneof(fc.constant(REAL_ALERT), fc.string({ minLength: 1, maxLength: 40 }).filter((id) => id !== '.' && id !== '..'));

/** Every alert API operation that takes a body or parameters, with fuzzed input. */
export const restCase: fc.Arbitrary<RestCase> = fc.oneof(
  fc.tuple(fc.constantFrom('acknowledge' as const, 'resolve' as const), emptyBody, alertId).map(([op, input, id]): RestCase => ({ op, input, alertId: id })),
  fc.tuple(snoozeBody, alertId).map(([input, id]): RestCase => ({ op: 'snooze', input, alertId: id })),
  ruleBody(false).map((input): RestCase => ({ op: 'create-rule', input })),
  ruleBody(true).map((input): RestCase => ({ op: 'put-rule', input })),
  silenceBody.map((input): RestCase => ({ op: 'create-silence', input })),
  alertsQuery.map((input): RestCase => ({ op: 'list-alerts', input })),
  silencesQuery.map((input): RestCase => ({ op: 'list-silences', input })),
);

/** What the case's input is judged by: the defects its generator put in (none: valid). */
export function defectsOf(testCase: RestCase): readonly string[] {
  return testCase.input.defects;
}

/**
 * The request of a case and its documented answer (docs/api.md): a 400 naming one of the
 * defective fields, or for valid input the success statuses (actions on the real alert may
 * also meet `illegal_transition`; unknown ids get 404).
 */
export function buildCase(testCase: RestCase, context: { realAlertId: string; unique: string }): { request: RestRequest; expected: ExpectedAnswer } {
  const defects = defectsOf(testCase);
  const invalid: ExpectedAnswer = { statuses: [400], codes: ['invalid_request'], fields: defects };
  switch (testCase.op) {
    case 'acknowledge':
    case 'resolve':
    case 'snooze': {
      const real = testCase.alertId === REAL_ALERT;
      const id = encodeURIComponent(real ? context.realAlertId : testCase.alertId);
      const body = testCase.input.body;
      return {
        request: { method: 'POST', path: `/alerts/${id}/${testCase.op}`, ...(body === undefined ? {} : { body }) },
        expected: defects.length > 0 ? invalid : { statuses: real ? [200, 409] : [404] },
      };
    }
    case 'create-rule':
      return { request: { method: 'POST', path: '/rules', body: withRuleId(testCase.input.body, `fz-post-${context.unique}`) }, expected: defects.length > 0 ? invalid : { statuses: [201] } };
    case 'put-rule': {
      const id = `fz-put-${context.unique}`;
      return { request: { method: 'PUT', path: `/rules/${id}`, body: withRuleId(testCase.input.body, id) }, expected: defects.length > 0 ? invalid : { statuses: [200, 201] } };
    }
    case 'create-silence':
      return { request: { method: 'POST', path: '/silences', body: withTimes(testCase.input.body) }, expected: defects.length > 0 ? invalid : { statuses: [201] } };
    case 'list-alerts':
      return { request: { method: 'GET', path: `/alerts${testCase.input.query}` }, expected: defects.length > 0 ? invalid : { statuses: [200] } };
    case 'list-silences':
      return { request: { method: 'GET', path: `/silences${testCase.input.query}` }, expected: defects.length > 0 ? invalid : { statuses: [200] } };
  }
}
