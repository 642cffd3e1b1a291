import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { JwtVerifier } from '@rebal/service-kit';
import type { AlertStore } from '../store';
import { apiErrorHandler, redisUnavailable } from './api-errors';
import { apiMetrics } from './api-metrics';
import { bearerAuth } from './auth';
import { cors } from './cors';
import { jsonBody } from './json-body';
import { OPENAPI_DOCUMENT } from './openapi';
import { alertRoutes, ruleRoutes, scopedRouter, silenceRoutes } from './routes';

/** Options of {@link createApiRouter}. */
export interface ApiRouterOptions {
  /** Where alerts, rules and silences live. */
  store: AlertStore;
  /** Verifies the bearer tokens of every request. */
  verifier: JwtVerifier;
  /** Browser origins allowed by CORS, exact `scheme://host[:port]`, or `*` (default none). */
  corsOrigins?: readonly string[];
  /** Whether Redis is reachable now; while it is not, requests get 503 `redis_unavailable` at once (default: always reachable). */
  isRedisReady?: () => boolean;
  /** Called after a rule was created, replaced or deleted (default: nothing). */
  onRulesChanged?: () => void;
  /** prom-client registry of the request metrics (default: the global registry). */
  registry?: Registry;
}

/**
 * The REST API, to mount at `/api/v1` (`app.use(API_BASE_PATH, createApiRouter(...))`):
 * CORS (preflights answered before authentication), `GET /openapi.json` without
 * authentication, then bearer authentication (401), the Redis gate (503 while degraded), the
 * alert, rule and silence routes, each checking first that the token grants its scope (403
 * `insufficient_scope`, before the body is read), then reading JSON bodies (415 for other
 * media types), and the mapping of store errors to problem+json (400, 404, 409, 503).
 * Unknown paths fall through to the app's 404 handler.
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = Router();
  const isRedisReady = options.isRedisReady ?? (() => true);
  router.use(apiMetrics(options.registry));
  router.use(cors(options.corsOrigins ?? []));
  router.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
  router.use(bearerAuth(options.verifier));
  router.use((_req, _res, next) => next(isRedisReady() ? undefined : redisUnavailable()));
  const routes = scopedRouter(router, jsonBody());
  alertRoutes(routes, options.store);
  ruleRoutes(routes, options.store, options.onRulesChanged ?? (() => undefined));
  silenceRoutes(routes, options.store);
  router.use(apiErrorHandler());
  return router;
}
