import type { ErrorRequestHandler } from 'express';
import { isConnectionError } from '@rebal/redis-client';
import { ProblemError, sendProblem } from '@rebal/service-kit';
import { RuleValidationError } from '../rules';
import { AlertConflictError, AlertNotFoundError, AlertStoreInputError, AlertTransitionError, RuleNotFoundError, SilenceExpiredError, SilenceNotFoundError } from '../store';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = { redisUnavailable: 5, authUnavailable: 5, busy: 1 } as const;

/** The problem a Redis outage is answered with: 503 `redis_unavailable`. */
export function redisUnavailable(): ProblemError {
  return new ProblemError(503, 'redis_unavailable', 'Redis is unreachable; the alert service is in degraded mode, retry later', {
    retryAfterSeconds: RETRY_AFTER_SECONDS.redisUnavailable,
  });
}

/**
 * The router's refusal of a path parameter it cannot percent-decode: a `URIError` with
 * status 400 (Express 5, router 2), which has no `expose` and would otherwise be a 500.
 */
function isUndecodablePath(error: unknown): boolean {
  return error instanceof URIError && (error as URIError & { status?: unknown }).status === 400;
}

/**
 * Maps what the store, the rule engine and Redis throw to the API's problems:
 * - `RuleValidationError`, `AlertStoreInputError` → 400 `invalid_request` naming each field;
 * - `AlertNotFoundError`, `RuleNotFoundError`, `SilenceNotFoundError` → 404 `not_found`;
 * - a path parameter that is not valid percent-encoded UTF-8 (`/alerts/%E0%A4%A`, `/rules/%`:
 *   the router's `URIError`, status 400) → 404 `not_found`, since no id can be such text;
 * - `AlertTransitionError` → 409 `illegal_transition` (with the alert's `alertStatus` and the refused `action`);
 * - `SilenceExpiredError` → 409 `silence_expired` (an expired silence is final; create a new one);
 * - `AlertConflictError` → 503 `busy` (concurrent changes; retry);
 * - a Redis connection failure (`isConnectionError`) → 503 `redis_unavailable`.
 * Anything else is returned unchanged (a 500 that reveals nothing).
 */
export function toProblem(error: unknown): unknown {
  if (error instanceof ProblemError) return error;
  if (isUndecodablePath(error)) return new ProblemError(404, 'not_found', 'nothing has this id: it is not valid percent-encoded UTF-8');
  if (error instanceof RuleValidationError) return ProblemError.invalid(error.issues.map(({ field, message }) => ({ field: field || 'body', message })), 'invalid rule');
  if (error instanceof AlertStoreInputError) return ProblemError.invalid(error.issues.map(({ field, message }) => ({ field: field || 'body', message })));
  if (error instanceof AlertNotFoundError || error instanceof RuleNotFoundError || error instanceof SilenceNotFoundError) {
    return new ProblemError(404, 'not_found', error.message);
  }
  if (error instanceof AlertTransitionError) {
    return new ProblemError(409, 'illegal_transition', error.message, { alertStatus: error.status, action: error.action });
  }
  if (error instanceof SilenceExpiredError) return new ProblemError(409, 'silence_expired', error.message);
  if (error instanceof AlertConflictError) {
    return new ProblemError(503, 'busy', error.message, { retryAfterSeconds: RETRY_AFTER_SECONDS.busy });
  }
  if (isConnectionError(error)) return redisUnavailable();
  return error;
}

/**
 * Express error handler of the API: maps errors with {@link toProblem}, adds `Retry-After`
 * to 503s, and hands everything else to the service-kit handler after it (500, logged).
 */
export function apiErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const problem = toProblem(error);
    if (!(problem instanceof ProblemError) || res.headersSent) {
      next(problem);
      return;
    }
    const { retryAfterSeconds, ...extras } = problem.extras;
    if (typeof retryAfterSeconds === 'number') res.setHeader('Retry-After', String(retryAfterSeconds));
    sendProblem(res, problem.status, problem.code, problem.message, extras);
  };
}
