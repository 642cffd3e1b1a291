/**
 * The alert service's REST API (`/api/v1`): alerts, rules and silences over JSON, bearer JWT
 * authentication, CORS for the dashboard, problem+json errors and the OpenAPI document.
 */
export { apiErrorHandler, redisUnavailable, toProblem } from './api-errors';
export {
  toAlertJson,
  toChangeJson,
  toEvidenceViewJson,
  toRuleJson,
  toSilenceJson,
  type AlertChangeJson,
  type AlertEvidenceJson,
  type AlertEvidenceViewJson,
  type AlertJson,
  type RuleJson,
  type RuleStatusJson,
  type SilenceJson,
} from './api-json';
export { API_BASE_PATH, OPENAPI_PATH } from './api-paths';
export * from './auth';
export { createApiRouter, type ApiRouterOptions } from './create-api-router';
export { cors } from './cors';
export { OPENAPI_DOCUMENT } from './openapi';
