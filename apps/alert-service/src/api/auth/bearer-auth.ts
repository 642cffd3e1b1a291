import type { RequestHandler, Response } from 'express';
import { ProblemError, sendProblem, TokenError, TokenErrorCode, type JwtVerifier } from '@rebal/service-kit';
import { RETRY_AFTER_SECONDS } from '../api-errors';
import { readApiToken } from './api-token';

/** Realm announced in `WWW-Authenticate`. */
export const AUTH_REALM = 'alert-service';

/** The actor of the request's actions, `user:<sub>`, set by {@link bearerAuth}. */
export function actorOf(res: Response): string {
  const actor = res.locals['actor'];
  if (typeof actor !== 'string') throw new Error('bearerAuth must run before this route');
  return actor;
}

/**
 * Express middleware: requires `Authorization: Bearer <JWT>` and verifies it. A missing,
 * malformed, badly signed or expired token gets 401 problem+json (code `unauthorized`) with
 * `WWW-Authenticate: Bearer realm="alert-service"` (plus `error="invalid_token"` when a token
 * was sent, RFC 6750). When the keys of a JWKS cannot be fetched the token is not judged:
 * 503 `auth_unavailable` with `Retry-After`. On success `res.locals.actor` is `user:<sub>` and
 * `res.locals.scopes` the scopes the token grants (see `requireScope`).
 */
export function bearerAuth(verifier: JwtVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
    if (!match) {
      const detail = header === undefined ? 'an Authorization: Bearer <token> header is required' : 'the Authorization header must be "Bearer <token>"';
      res.setHeader('WWW-Authenticate', header === undefined ? `Bearer realm="${AUTH_REALM}"` : `Bearer realm="${AUTH_REALM}", error="invalid_request"`);
      sendProblem(res, 401, 'unauthorized', detail);
      return;
    }
    try {
      const token = readApiToken(await verifier.verify(match[1] as string));
      res.locals['actor'] = `user:${token.subject}`;
      res.locals['scopes'] = token.scopes;
      next();
    } catch (error) {
      if (!(error instanceof TokenError)) {
        next(error);
        return;
      }
      if (error.code === TokenErrorCode.KeyUnavailable) {
        next(new ProblemError(503, 'auth_unavailable', 'the keys that verify bearer tokens cannot be fetched now; retry later', { retryAfterSeconds: RETRY_AFTER_SECONDS.authUnavailable }));
        return;
      }
      res.setHeader('WWW-Authenticate', `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`);
      sendProblem(res, 401, 'unauthorized', error.message, { reason: error.code === TokenErrorCode.TokenExpired ? 'token_expired' : 'token_invalid' });
    }
  };
}
