import { sendProblem } from '@rebal/service-kit';
import type { Express } from 'express';
import type { HealthSnapshot } from '../status';

/** Adds `GET /api/v1/status`: the latest snapshot as JSON (503 problem `no_snapshot` before the first check). */
export function statusRoutes(latest: () => HealthSnapshot | undefined): (app: Express) => void {
  return (app) => {
    app.get('/api/v1/status', (_req, res) => {
      const snapshot = latest();
      if (!snapshot) {
        sendProblem(res, 503, 'no_snapshot', 'the first health check has not completed yet');
        return;
      }
      res.set('cache-control', 'no-store').json(snapshot);
    });
  };
}
