import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@rebal/redis-client';
import express, { type Express } from 'express';
// Straight from the module: the folder's index also exports the build step, which needs esbuild (a dev dependency).
import { DASHBOARD_CONFIG_PATH, type ServedDashboardConfig } from '../dashboard/dashboard-config';

/** What {@link serveDashboard} serves. */
export interface DashboardServing {
  /** The dashboard build's directory (`DASHBOARD_DIR`). */
  readonly dir: string;
  /** The alert API's base URL the page should call (`ALERT_API_URL`); unset, the page uses its default. */
  readonly alertApiUrl?: string;
}

/**
 * Serves the dashboard: its deployment settings at `/dashboard-config.json` (`{ alertApi }`, never
 * cached, so a changed `ALERT_API_URL` reaches every page at its next load) and the build's static
 * files (`index.html` at `/`) from `dir`. A missing build is logged once and leaves `/` to the 404
 * handler, so the gateway still runs.
 */
export function serveDashboard(app: Express, serving: DashboardServing, logger: Logger): void {
  const served: ServedDashboardConfig = serving.alertApiUrl === undefined ? {} : { alertApi: serving.alertApiUrl };
  app.get(DASHBOARD_CONFIG_PATH, (_request, response) => {
    response.set('Cache-Control', 'no-store').json(served);
  });
  if (!existsSync(join(serving.dir, 'index.html'))) {
    logger.warn({ dashboardDir: serving.dir }, 'no dashboard build found (index.html missing); / is not served');
  }
  app.use(express.static(serving.dir, { index: 'index.html', fallthrough: true }));
}
