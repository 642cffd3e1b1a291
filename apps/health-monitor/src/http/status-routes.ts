import { isCorsOriginAllowed, sendProblem } from '@rebal/service-kit';
import type { Express } from 'express';
import type { HealthSnapshot } from '../status';

/**
 * Adds `GET /api/v1/status`: the latest snapshot as JSON (503 problem `no_snapshot` before the
 * first check). A browser page on one of `corsOrigins` (the console, served by the gateway on
 * another origin) may read it: the answer carries `Access-Control-Allow-Origin` for such an
 * `Origin`, and none for any other. The page sends a plain GET without credentials or custom
 * headers, which needs no preflight; the status is the same for every caller, hence no token.
 */
export function statusRoutes(latest: () => HealthSnapshot | undefined, corsOrigins: readonly string[] = []): (app: Express) => void {
  return (app) => {
    app.get('/api/v1/status', (req, res) => {
      res.vary('Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && isCorsOriginAllowed(corsOrigins, origin)) res.set('Access-Control-Allow-Origin', corsOrigins.includes('*') ? '*' : origin);
      const snapshot = latest();
      if (!snapshot) {
        sendProblem(res, 503, 'no_snapshot', 'the first health check has not completed yet');
        return;
      }
      res.set('cache-control', 'no-store').json(snapshot);
    });
  };
}
