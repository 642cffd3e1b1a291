import type { RequestHandler, Response } from 'express';
import { sendProblem } from '@rebal/service-kit';
import type { ApiScope } from './api-scope';
import { AUTH_REALM } from './bearer-auth';

/** A {@link requireScope} guard: the middleware, and the scope it requires (read by tests and the OpenAPI check). */
export type ScopeGuard = RequestHandler & { readonly requiredScope: ApiScope };

/** The scopes of the request's token, set by `bearerAuth`. */
export function scopesOf(res: Response): ReadonlySet<string> {
  const scopes = res.locals['scopes'];
  if (!(scopes instanceof Set)) throw new Error('bearerAuth must run before this route');
  return scopes as ReadonlySet<string>;
}

/**
 * Express middleware: lets the request through only when its token grants `scope`
 * (`bearerAuth` must have run). Otherwise 403 problem+json, code `insufficient_scope`, with
 * the needed scope as `requiredScope`, and
 * `WWW-Authenticate: Bearer realm="alert-service", error="insufficient_scope", scope="<scope>"`
 * (RFC 6750 §3.1). It runs before the body is read and before the route looks anything up,
 * so a refused request reveals nothing, not even whether an id exists.
 */
export function requireScope(scope: ApiScope): ScopeGuard {
  const guard: RequestHandler = (_req, res, next) => {
    if (scopesOf(res).has(scope)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${scope}"`);
    sendProblem(res, 403, 'insufficient_scope', `this request needs the scope ${scope}, which the bearer token does not grant`, { requiredScope: scope });
  };
  return Object.assign(guard, { requiredScope: scope });
}
