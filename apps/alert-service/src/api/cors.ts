import { isCorsOriginAllowed } from '@rebal/service-kit';
import type { RequestHandler } from 'express';

/** Methods the API allows from browsers. */
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
/** Request headers the API allows from browsers. */
const ALLOWED_HEADERS = 'Authorization, Content-Type';
/** Response headers scripts may read. */
const EXPOSED_HEADERS = 'Location, WWW-Authenticate, Retry-After';
/** How long a browser may cache a preflight answer, seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the browser dashboard (served by the gateway on another origin): requests from an
 * origin in `origins` (exact `scheme://host[:port]` match, or every origin with `*`) get
 * `Access-Control-Allow-Origin`; preflights (`OPTIONS` with `Access-Control-Request-Method`)
 * are answered 204 with the allowed methods (GET, POST, PUT, DELETE) and headers
 * (Authorization, Content-Type), before authentication, since browsers send preflights
 * without credentials. Other origins get no CORS headers (the browser then blocks the
 * response) and their preflights a bare 204. Tokens travel in `Authorization`, never in
 * cookies, so credentials mode is not enabled.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const permitted = origin !== undefined && isCorsOriginAllowed(origins, origin);
    if (permitted) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (permitted) {
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
