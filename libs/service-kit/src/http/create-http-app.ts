import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { problemHandler, sendProblem } from './problem';

/** What `/readyz` reports: ready or not, with the state of each dependency. */
export interface ReadinessReport {
  ready: boolean;
  /** e.g. `{ redis: 'ready', consumers: 'running' }`. */
  checks: Record<string, string>;
}

/** Options of {@link createHttpApp}. */
export interface CreateHttpAppOptions {
  /** prom-client registry served at `/metrics`. */
  registry: Registry;
  /** Readiness for `/readyz` (503 while not ready). */
  readiness: () => ReadinessReport | Promise<ReadinessReport>;
  logger: Logger;
  /** Adds the service's own routes (before the 404 and error handlers). */
  routes?: (app: Express) => void;
}

/**
 * The HTTP surface every service has: `GET /livez` (the process and its event loop answer),
 * `GET /readyz` (503 with the failing checks while not ready), `GET /metrics` (Prometheus
 * text format), the service's routes, then 404 and errors as problem+json.
 */
export function createHttpApp(options: CreateHttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      const report = await options.readiness();
      res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', checks: report.checks });
    } catch (error) {
      next(error);
    }
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(options.registry.contentType).send(await options.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  options.routes?.(app);
  app.use((req, res) => sendProblem(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(problemHandler(options.logger));
  return app;
}
