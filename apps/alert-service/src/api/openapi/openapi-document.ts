import { API_BASE_PATH } from '../api-paths';
import { OPENAPI_PATHS } from './openapi-paths';
import { OPENAPI_SCHEMAS } from './openapi-schemas';

const problem = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/**
 * The OpenAPI 3.1 document of the alert service's REST API, served at
 * `GET /api/v1/openapi.json`: every route, body and response schema (rule and silence bodies
 * generated from the validators), and every error response as problem+json.
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Rebal alert service',
    version: '1.0.0',
    description:
      'Alerts raised by rules over market, portfolio and risk events: list, inspect, acknowledge, snooze and resolve them; manage rules and silences. ' +
      'Every operation except this document needs `Authorization: Bearer <JWT>` whose `scope` claim grants the scope the operation names ' +
      '(`alerts:read` to read anything, `alerts:write` for alert actions and silence changes, `rules:write` for rule changes; 403 `insufficient_scope` otherwise); ' +
      'actions are recorded as `user:<sub>`. Errors are RFC 9457 problem+json with a stable `code`.',
  },
  servers: [{ url: API_BASE_PATH }],
  tags: [
    { name: 'alerts', description: 'alerts and their lifecycle: firing → acknowledged / snoozed → resolved' },
    { name: 'rules', description: 'alert rules (price_threshold, price_change, portfolio_drift, risk_threshold, service_health)' },
    { name: 'silences', description: 'label matchers that keep matching alerts from being notified' },
    { name: 'meta', description: 'this document' },
  ],
  paths: OPENAPI_PATHS,
  components: {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'HS256 with the shared secret, or RS256/ES256 with the configured public key; `exp` and `sub` required. ' +
          'Scopes, in the space-separated `scope` claim (or an `scp` array): `alerts:read` for every GET (alerts, history, rules, silences); ' +
          '`alerts:write` to acknowledge, snooze and resolve alerts and to create, update and expire silences; `rules:write` to create, replace and delete rules. ' +
          'No scope implies another. Each operation lists the one it needs in its security requirement; without it the answer is 403 `insufficient_scope`.',
      },
    },
    schemas: OPENAPI_SCHEMAS,
    responses: {
      BadRequest: problem('`invalid_request` naming each invalid field (`field`, `errors[]`), or `invalid_json`'),
      Unauthorized: problem('`unauthorized`: missing, malformed, badly signed or expired bearer token', {
        'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="alert-service"[, error="invalid_token"]' },
      }),
      Forbidden: problem('`insufficient_scope`: the token is valid but its `scope` claim lacks the scope this operation needs (named in `requiredScope`)', {
        'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="alert-service", error="insufficient_scope", scope="<the needed scope>"' },
      }),
      NotFound: problem('`not_found`: no alert, rule or silence has this id (an id over 200 characters, or not valid percent-encoded UTF-8, names nothing)'),
      IllegalTransition: problem('`illegal_transition`: the alert\'s status does not allow the action (e.g. resolving a resolved alert)'),
      RuleExists: problem('`rule_exists`: a rule has this id; use PUT to replace it'),
      SilenceExpired: problem('`silence_expired`: the silence has expired, which is final; create a new one with POST /silences'),
      PayloadTooLarge: problem('`body_too_large`: the body is over 256 kB'),
      UnsupportedMediaType: problem('`unsupported_media_type`: the body is not `application/json`'),
      ServiceUnavailable: problem('`redis_unavailable` while Redis is unreachable (degraded mode), `auth_unavailable` while the key set of `AUTH_JWKS_URL` cannot be fetched, or `busy` after too many concurrent changes of one alert or silence', {
        'Retry-After': { schema: { type: 'integer' }, description: 'seconds to wait' },
      }),
      InternalError: problem('`internal`: an unexpected failure (details are logged, never returned)'),
    },
  },
} as const;
