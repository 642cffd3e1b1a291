import { ALERT_STATUSES, ALERT_TYPES } from '../../alerts';
import { SEVERITIES } from '../../rules';
import { MAX_PAGE_SIZE } from '../../store';
import type { ApiScope } from '../auth';
import type { JsonSchema } from './openapi-schemas';

type Operation = Record<string, unknown>;

const schema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({ description, content: { 'application/json': { schema: schema(name) } } });
const error = (name: string) => ({ $ref: `#/components/responses/${name}` });
const idParameter = (what: string) => ({ name: 'id', in: 'path', required: true, description: `the ${what}'s id`, schema: { type: 'string' } });

/** The errors every authenticated operation may answer. */
const COMMON_ERRORS = { '401': error('Unauthorized'), '403': error('Forbidden'), '503': error('ServiceUnavailable'), '500': error('InternalError') };
/** ... plus those of an operation with a JSON body. */
const BODY_ERRORS = { '400': error('BadRequest'), '413': error('PayloadTooLarge'), '415': error('UnsupportedMediaType') };

/** An authenticated operation whose token must grant `scope` (OpenAPI 3.1 lists it in the requirement's array). */
function op(summary: string, tag: string, scope: ApiScope, responses: Record<string, unknown>, extra: Operation = {}): Operation {
  return { summary: `${summary} (scope ${scope})`, tags: [tag], security: [{ bearerAuth: [scope] }], ...extra, responses: { ...responses, ...COMMON_ERRORS } };
}

function body(name: string, required = true): Operation {
  return { requestBody: { required, content: { 'application/json': { schema: schema(name) } } } };
}

function action(summary: string, requestBody?: Operation): Operation {
  return op(
    summary,
    'alerts',
    'alerts:write',
    { '200': json('Alert', 'the alert after the change'), '404': error('NotFound'), '409': error('IllegalTransition'), ...BODY_ERRORS },
    { parameters: [idParameter('alert')], ...(requestBody ?? { requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } } } }) },
  );
}

/** `paths` of the OpenAPI document: every route of the API. */
export const OPENAPI_PATHS: Record<string, Record<string, Operation>> = {
  '/alerts': {
    get: op(
      'List alerts, newest first',
      'alerts',
      'alerts:read',
      { '200': json('AlertPage', 'a page of alerts'), '400': error('BadRequest') },
      {
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...ALERT_STATUSES] } },
          { name: 'severity', in: 'query', schema: { type: 'string', enum: [...SEVERITIES] } },
          { name: 'type', in: 'query', description: 'a rule kind, or `feed_status` (stale feeds)', schema: { type: 'string', enum: [...ALERT_TYPES] } },
          {
            name: 'label',
            in: 'query',
            description: '`name=value`; repeat it to require several labels',
            schema: { type: 'array', items: { type: 'string', pattern: '^[^=]+=.*$' }, maxItems: 10 },
            style: 'form',
            explode: true,
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 } },
          { name: 'cursor', in: 'query', description: '`nextCursor` of the previous page', schema: { type: 'string' } },
        ],
      },
    ),
  },
  '/alerts/{id}': {
    get: op('Get one alert', 'alerts', 'alerts:read', { '200': json('Alert', 'the alert'), '404': error('NotFound') }, { parameters: [idParameter('alert')] }),
  },
  '/alerts/{id}/history': {
    get: op('Every change of an alert, oldest first', 'alerts', 'alerts:read', { '200': json('AlertHistory', 'the changes'), '404': error('NotFound') }, { parameters: [idParameter('alert')] }),
  },
  '/alerts/{id}/evidence': {
    get: op(
      'The events that moved an alert (raise, severity changes, clear), each read back from its stream while the stream holds it (`source: stream`, with the event) and from the stored values after (`source: record`); for a price alert also its symbol\'s prices around the raise',
      'alerts',
      'alerts:read',
      { '200': json('AlertEvidenceView', 'the evidence'), '404': error('NotFound') },
      { parameters: [idParameter('alert')] },
    ),
  },
  '/alerts/{id}/acknowledge': { post: action('Acknowledge a firing or snoozed alert (not notified)') },
  '/alerts/{id}/snooze': { post: action('Snooze an open alert for 5 to 1440 minutes; it fires again (and is notified) when the snooze ends', body('SnoozeRequest')) },
  '/alerts/{id}/resolve': { post: action('Resolve an open alert (409 when it is resolved already)') },
  '/rules': {
    get: op('List every rule, by id, each with its status (active, disabled or expired; per subject its phase, or no_data while its feed is stale)', 'rules', 'alerts:read', { '200': json('RuleList', 'the rules') }),
    post: op(
      'Create a rule',
      'rules',
      'rules:write',
      { '201': { ...json('Rule', 'the stored rule'), headers: { Location: { schema: { type: 'string' } } } }, '409': error('RuleExists'), ...BODY_ERRORS },
      body('RuleInput'),
    ),
  },
  '/rules/{id}': {
    get: op('Get one rule with its status', 'rules', 'alerts:read', { '200': json('RuleView', 'the rule and its status'), '404': error('NotFound') }, { parameters: [idParameter('rule')] }),
    put: op(
      'Create or replace a rule; the body may omit `id` (taken from the path). Running timers follow the new ones; open alerts whose labels the new definition no longer produces are resolved',
      'rules',
      'rules:write',
      { '200': json('Rule', 'the replaced rule'), '201': json('Rule', 'the created rule'), '404': error('NotFound'), ...BODY_ERRORS },
      { parameters: [idParameter('rule')], ...body('RuleInput') },
    ),
    delete: op(
      'Delete a rule; its open alerts stay until resolved',
      'rules',
      'rules:write',
      { '204': { description: 'deleted' }, '404': error('NotFound') },
      { parameters: [idParameter('rule')] },
    ),
  },
  '/silences': {
    get: op(
      'List silences, newest first',
      'silences',
      'alerts:read',
      { '200': json('SilenceList', 'the silences'), '400': error('BadRequest') },
      { parameters: [{ name: 'state', in: 'query', schema: { type: 'string', enum: ['pending', 'active', 'expired'] } }] },
    ),
    post: op(
      'Create a silence: matching alerts are stored but not notified while it is active',
      'silences',
      'alerts:write',
      { '201': { ...json('Silence', 'the silence'), headers: { Location: { schema: { type: 'string' } } } }, ...BODY_ERRORS },
      body('SilenceInput'),
    ),
  },
  '/silences/{id}': {
    get: op('Get one silence', 'silences', 'alerts:read', { '200': json('Silence', 'the silence'), '404': error('NotFound') }, { parameters: [idParameter('silence')] }),
    put: op(
      'Replace a pending or active silence: matchers, times, author and comment (the body of POST; an omitted `startsAt` keeps the current start, `createdBy` defaults to the caller); matching alerts follow the new silence from their next change',
      'silences',
      'alerts:write',
      { '200': json('Silence', 'the updated silence'), '404': error('NotFound'), '409': error('SilenceExpired'), ...BODY_ERRORS },
      { parameters: [idParameter('silence')], ...body('SilenceInput') },
    ),
    delete: op('Expire a silence now (it stays listed as expired until the retention purge)', 'silences', 'alerts:write', { '200': json('Silence', 'the expired silence'), '404': error('NotFound') }, {
      parameters: [idParameter('silence')],
    }),
  },
  '/openapi.json': {
    get: {
      summary: 'This document (no authentication)',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'the OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
};
