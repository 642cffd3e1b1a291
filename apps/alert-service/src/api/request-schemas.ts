import { z } from 'zod';
import { ProblemError, type FieldError } from '@rebal/service-kit';
import { ALERT_STATUSES, ALERT_TYPES, type AlertType } from '../alerts';
import { SEVERITIES, type Severity } from '../rules';
import { MAX_PAGE_SIZE, SNOOZE_MINUTES, silenceInputSchema } from '../store';

/** Path of a zod issue as a field name: `matchers[0].value`; the whole body is `body`. */
function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  const text = path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
  return text || 'body';
}

/** Every zod issue as a field error; an unknown key is reported at that key. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: 'unknown field' }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

/**
 * Validates `input` with `schema`.
 * @throws ProblemError 400 `invalid_request` naming every bad field
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, detail?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ProblemError.invalid(fieldErrors(result.error), detail);
  return result.data;
}

/** Body of `POST /alerts/{id}/snooze`. */
export const snoozeBodySchema = z.strictObject({
  minutes: z.number().int().min(SNOOZE_MINUTES.min).max(SNOOZE_MINUTES.max),
});

/** Body of `POST /alerts/{id}/acknowledge` and `/resolve`: none, or an empty object. */
export const emptyBodySchema = z.strictObject({}).optional();

const oneString = (name: string) => z.string({ error: `${name} must be given once` });

/** Query of `GET /alerts`. `label` may repeat (`label=symbol=BTC&label=rule=btc-above`): every label must match. */
export const listAlertsQuerySchema = z.strictObject({
  status: z.enum(ALERT_STATUSES as [string, ...string[]]).optional(),
  severity: z.enum(SEVERITIES as [Severity, ...Severity[]]).optional(),
  type: z.enum(ALERT_TYPES as [AlertType, ...AlertType[]]).optional(),
  label: z
    .union([z.string(), z.array(z.string()).max(10)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .refine((labels) => labels.every((label) => label.indexOf('=') > 0), 'must be name=value')
    .optional(),
  limit: oneString('limit')
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
    .optional(),
  cursor: oneString('cursor').min(1).max(1024).optional(),
});

/** Query of `GET /silences`. */
export const listSilencesQuerySchema = z.strictObject({
  state: z.enum(['pending', 'active', 'expired']).optional(),
});

/** Query of routes that take none. */
export const noQuerySchema = z.strictObject({});

/** Body of `POST /silences` and `PUT /silences/{id}`: the store's silence input, with `createdBy` defaulting to the caller (`user:<sub>`). */
export const silenceBodySchema = silenceInputSchema.extend({
  createdBy: z.string().trim().min(1).max(200).optional(),
});
