import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@rebal/redis-client';
import express, { type Express } from 'express';

/** Path of the console's deployment settings, beside the page (apps/console reads it; its name predates the console). */
export const DASHBOARD_CONFIG_PATH = '/dashboard-config.json';

/** What the gateway serves at {@link DASHBOARD_CONFIG_PATH}: the URLs the console's browser calls (apps/console `ServedConsoleConfig`). */
export interface ServedDashboardConfig {
  /** The alert API's base URL (`ALERT_API_URL`). */
  readonly alertApi?: string;
  /** The health monitor's API base URL (`HEALTH_API_URL`). */
  readonly healthApi?: string;
}

/** What {@link serveDashboard} serves. */
export interface DashboardServing {
  /** The console build's directory (`DASHBOARD_DIR`). */
  readonly dir: string;
  /** The alert API's base URL the page should call (`ALERT_API_URL`); unset, the page uses its default. */
  readonly alertApiUrl?: string | undefined;
  /** The health monitor's API base URL the page should call (`HEALTH_API_URL`); unset, the page reads no status. */
  readonly healthApiUrl?: string | undefined;
}

/**
 * Serves the console (apps/console, built into `dir`): its deployment settings at
 * `/dashboard-config.json` (`{ alertApi, healthApi }`, never cached, so a changed URL reaches
 * every page at its next load) and the build's static files (`index.html` at `/`). A missing
 * build is logged once and leaves `/` to the 404 handler, so the gateway still runs.
 */
export function serveDashboard(app: Express, serving: DashboardServing, logger: Logger): void {
  const served: ServedDashboardConfig = {
    ...(serving.alertApiUrl === undefined ? {} : { alertApi: serving.alertApiUrl }),
    ...(serving.healthApiUrl === undefined ? {} : { healthApi: serving.healthApiUrl }),
  };
  app.get(DASHBOARD_CONFIG_PATH, (_request, response) => {
    response.set('Cache-Control', 'no-store').json(served);
  });
  if (!existsSync(join(serving.dir, 'index.html'))) {
    logger.warn({ dashboardDir: serving.dir }, 'no console build found (index.html missing; npx nx run console:build); / is not served');
  }
  app.use(express.static(serving.dir, { index: 'index.html', fallthrough: true }));
}
