import { z } from 'zod';
import { ALERT_STATUSES, ALERT_TYPES, MAX_EVIDENCE } from '../../alerts';
import { RULE_KINDS, SEVERITIES, ruleActionSchema, ruleDefinitionSchema } from '../../rules';
import { EVIDENCE_PRICE_WINDOW_MS, MAX_EVIDENCE_PRICES, MAX_PAGE_SIZE, SNOOZE_MINUTES } from '../../store';
import { API_SCOPES } from '../auth';
import { silenceBodySchema } from '../request-schemas';

/** A JSON Schema object (OpenAPI 3.1 uses JSON Schema 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12, without `$schema` (it is embedded in the OpenAPI document). */
function fromZod(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return json;
}

/** `schema` (a rule's: a `oneOf` of objects, one per kind) with one more property in every variant. */
function withProperty(schema: JsonSchema, name: string, property: JsonSchema, required: boolean): JsonSchema {
  const add = (variant: JsonSchema): JsonSchema => ({
    ...variant,
    properties: { ...(variant['properties'] as JsonSchema), [name]: property },
    ...(required ? { required: [...((variant['required'] as string[] | undefined) ?? []), name] } : {}),
  });
  const variants = schema['oneOf'] as JsonSchema[] | undefined;
  return variants ? { ...schema, oneOf: variants.map(add) } : add(schema);
}

const dateTime = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** What every evidence entry carries (an alert's `evidence`, and each item of its evidence view). */
const EVIDENCE_REQUIRED = ['type', 'stream', 'id', 'value', 'at'] as const;
const EVIDENCE_PROPERTIES: Record<string, JsonSchema> = {
  type: {
    type: 'string',
    enum: ['raise', 'update', 'clear'],
    description: '`raise` opened the alert, `update` changed its severity, `clear` brought its value past the recovery level (the resolve follows at once or after keepFiringSeconds)',
  },
  stream: { type: 'string', description: "the key of the stream the event was read from (with the deployment's stream prefix), e.g. `market_data`" },
  id: { type: 'string', pattern: '^\\d+-\\d+$', description: "the event's stream entry id" },
  value: { type: 'number', description: 'the value the rule measured in it' },
  at: dateTime('the event time'),
  severity: { type: 'string', enum: [...SEVERITIES], description: 'the severity after it (raise, update)' },
};

/** `components.schemas` of the OpenAPI document. Rule and silence bodies are generated from the validators themselves. */
export const OPENAPI_SCHEMAS: Record<string, JsonSchema> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details with a stable `code` to test instead of the text.',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', example: 'about:blank' },
      title: { type: 'string', example: 'Not Found' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      code: {
        type: 'string',
        description:
          'invalid_request, invalid_json, unauthorized, insufficient_scope, not_found, illegal_transition, rule_exists, silence_expired, unsupported_media_type, body_too_large, redis_unavailable, auth_unavailable, busy, internal',
      },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'the request path' },
      field: { type: 'string', description: '400 invalid_request: the first invalid field, e.g. `minutes` or `severities.S2`' },
      errors: {
        type: 'array',
        description: '400 invalid_request: every invalid field',
        items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false },
      },
      reason: { type: 'string', enum: ['token_expired', 'token_invalid'], description: '401: why the token was refused' },
      requiredScope: { type: 'string', enum: [...API_SCOPES], description: '403 insufficient_scope: the scope the operation needs' },
      alertStatus: { type: 'string', enum: [...ALERT_STATUSES], description: '409 illegal_transition: the alert\'s status' },
      action: { type: 'string', description: '409 illegal_transition: the refused action' },
    },
  },
  Alert: {
    type: 'object',
    description: 'An alert. One non-resolved alert exists per fingerprint; `version` grows by one with every change.',
    required: ['id', 'ruleId', 'type', 'severity', 'labels', 'fingerprint', 'annotations', 'value', 'startsAt', 'updatedAt', 'status', 'version'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', format: 'uuid' },
      ruleId: { type: 'string', description: 'the rule that raised it, `escalation` for escalations, `feed_stale` for a stale feed' },
      type: { type: 'string', enum: [...ALERT_TYPES], description: 'the rule kind, or `feed_status` for a stale feed (labels `{alertname: feed_stale, stream, subject}`)' },
      severity: { type: 'string', enum: [...SEVERITIES], description: 'S1 info, S2 major, S3 critical' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      fingerprint: { type: 'string', description: 'hash of the sorted labels' },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      value: { type: 'number', description: 'the value behind the latest change' },
      startsAt: dateTime('when it was raised'),
      updatedAt: dateTime('last change'),
      endsAt: dateTime('when it was resolved'),
      status: { type: 'string', enum: [...ALERT_STATUSES] },
      acknowledgedBy: { type: 'string', example: 'user:alice' },
      acknowledgedAt: dateTime('when it was acknowledged'),
      snoozedUntil: dateTime('while snoozed: when it fires again'),
      snoozedBy: { type: 'string' },
      resolvedBy: { type: 'string', description: '`user:<sub>` or `rule:<id>`' },
      suggestedAction: fromZod(ruleActionSchema, 'output'),
      escalation: {
        type: 'object',
        required: ['sourceAlertIds', 'kind', 'windowMs'],
        additionalProperties: false,
        properties: { sourceAlertIds: { type: 'array', items: { type: 'string' } }, kind: { type: 'string', enum: [...RULE_KINDS] }, windowMs: { type: 'integer' } },
      },
      silenced: { type: 'boolean', description: 'a silence matched at the last change: stored, not notified' },
      evidence: {
        type: 'array',
        maxItems: MAX_EVIDENCE,
        description: `the events that moved it, oldest first: the raise and the newest entries after it (${MAX_EVIDENCE} in all); read them back with GET /alerts/{id}/evidence. Absent when no event moved it (escalations)`,
        items: ref('AlertEvidence'),
      },
      version: { type: 'integer', minimum: 1 },
    },
  },
  AlertEvidence: { type: 'object', required: [...EVIDENCE_REQUIRED], additionalProperties: false, properties: EVIDENCE_PROPERTIES },
  AlertEvidenceView: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: {
        type: 'array',
        description: 'the alert\'s evidence entries, oldest first',
        items: {
          type: 'object',
          required: [...EVIDENCE_REQUIRED, 'source'],
          additionalProperties: false,
          properties: {
            ...EVIDENCE_PROPERTIES,
            source: { type: 'string', enum: ['stream', 'record'], description: '`stream`: read back from its stream (`event` is the event); `record`: the stream trimmed it, the stored values are all that is left' },
            event: {
              type: 'object',
              description: 'the CloudEvent as its stream holds it (`data` decoded)',
              required: ['specversion', 'id', 'source', 'type', 'time', 'data'],
              properties: { specversion: { type: 'string' }, id: { type: 'string' }, source: { type: 'string' }, type: { type: 'string' }, time: { type: 'string' }, subject: { type: 'string' }, datacontenttype: { type: 'string' }, data: {} },
            },
          },
        },
      },
      prices: {
        type: 'object',
        description: `price alerts: the symbol's prices from ${EVIDENCE_PRICE_WINDOW_MS / 60_000} minutes before to ${EVIDENCE_PRICE_WINDOW_MS / 60_000} minutes after the raise, while the stream holds them (at most ${MAX_EVIDENCE_PRICES}, evenly thinned), for a chart around the trigger`,
        required: ['symbol', 'points'],
        additionalProperties: false,
        properties: {
          symbol: { type: 'string' },
          points: {
            type: 'array',
            maxItems: MAX_EVIDENCE_PRICES,
            items: { type: 'object', required: ['id', 'at', 'price'], additionalProperties: false, properties: { id: { type: 'string' }, at: dateTime('the event time'), price: { type: 'number' } } },
          },
        },
      },
    },
  },
  AlertPage: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: { type: 'array', items: ref('Alert'), maxItems: MAX_PAGE_SIZE },
      nextCursor: { type: 'string', description: 'pass as `cursor` for the next page; absent on the last page (a page may be short before the end)' },
    },
  },
  AlertChange: {
    type: 'object',
    required: ['type', 'actor', 'at', 'notify', 'alert'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', enum: ['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.snoozed', 'alert.resolved', 'alert.escalated'] },
      actor: { type: 'string', description: '`rule:<id>`, `user:<sub>` or `system`' },
      at: dateTime('when the change happened'),
      notify: { type: 'boolean', description: 'whether webhook targets were told' },
      suppressedBy: { type: 'string', enum: ['silence', 'snooze', 'rate_limit', 'budget'] },
      alert: ref('Alert'),
    },
  },
  AlertHistory: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('AlertChange') } } },
  SnoozeRequest: {
    type: 'object',
    required: ['minutes'],
    additionalProperties: false,
    properties: { minutes: { type: 'integer', minimum: SNOOZE_MINUTES.min, maximum: SNOOZE_MINUTES.max } },
  },
  RuleInput: {
    description: 'A rule definition as sent: defaults may be omitted. A `status` (what GET answers beside the definition) is read-only and ignored, so a rule as read may be sent back.',
    ...withProperty(fromZod(ruleDefinitionSchema, 'input'), 'status', { description: 'read-only: ignored' }, false),
  },
  Rule: { description: 'A stored rule, every default applied.', ...fromZod(ruleDefinitionSchema, 'output') },
  RuleView: {
    description: 'A stored rule, every default applied, with its `status` (GET /rules, GET /rules/{id}).',
    ...withProperty(fromZod(ruleDefinitionSchema, 'output'), 'status', ref('RuleStatus'), true),
  },
  RuleStatus: {
    type: 'object',
    description: "Where a rule stands, read from what the engine keeps in Redis (states written when a rule changes phase, the feeds' announced statuses).",
    required: ['state', 'subjects'],
    additionalProperties: false,
    properties: {
      state: {
        type: 'string',
        enum: ['active', 'disabled', 'expired'],
        description: '`disabled`: `enabled` is false (set by a person, or by the rule itself when its `once` trigger fired: see `disabled`); `expired`: past `expiresAt`, it evaluates nothing; else `active`',
      },
      disabled: {
        type: 'object',
        description: 'why the rule disabled itself: `trigger_once` (a `once` rule fired the alert `alertId` at `at`); cleared when the rule is written again (PUT re-arms it)',
        required: ['reason', 'at'],
        additionalProperties: false,
        properties: { reason: { type: 'string', enum: ['trigger_once'] }, at: dateTime('when it fired (event time)'), alertId: { type: 'string' } },
      },
      subjects: {
        type: 'array',
        description: "per subject the rule observes: a price rule's symbol always; for the other kinds each subject whose state is not inactive",
        items: {
          type: 'object',
          required: ['subject', 'state', 'phase'],
          additionalProperties: false,
          properties: {
            subject: { type: 'object', additionalProperties: { type: 'string' }, description: 'e.g. `{symbol: BTC}`, `{portfolioId, symbol}`, `{metric, portfolioId, window}`, `{service, instance}`' },
            state: {
              type: 'string',
              enum: ['no_data', 'inactive', 'pending', 'firing', 'cooldown'],
              description: "`no_data` while the subject's feed is announced stale by the health monitor (a price rule: `market_data:<symbol>`): the rule cannot fire, for lack of events, not of breaches; else `phase`",
            },
            phase: { type: 'string', enum: ['inactive', 'pending', 'firing', 'cooldown'], description: "the engine's phase (a firing alert stays firing while its feed is stale)" },
            since: dateTime('when `state` began (the stale announcement for `no_data`)'),
            feed: { type: 'string', description: '`no_data`: the stale feed, e.g. `market_data:BTC`' },
          },
        },
      },
    },
  },
  RuleList: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('RuleView') } } },
  SilenceInput: { description: 'Times as epoch ms or RFC 3339; `startsAt` defaults to now (on PUT: the current start), `createdBy` to the caller.', ...fromZod(silenceBodySchema, 'input') },
  Silence: {
    type: 'object',
    required: ['id', 'matchers', 'startsAt', 'endsAt', 'createdBy', 'comment', 'createdAt', 'updatedAt', 'state'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', format: 'uuid' },
      matchers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'value', 'isRegex', 'isEqual'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, value: { type: 'string', description: 'the label value, or with isRegex an RE2 pattern matching the whole value' }, isRegex: { type: 'boolean' }, isEqual: { type: 'boolean' } },
        },
      },
      startsAt: dateTime('active from'),
      endsAt: dateTime('active until (exclusive)'),
      createdBy: { type: 'string' },
      comment: { type: 'string' },
      createdAt: dateTime('created'),
      updatedAt: dateTime('last changed'),
      state: { type: 'string', enum: ['pending', 'active', 'expired'] },
    },
  },
  SilenceList: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('Silence') } } },
};
