import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@rebal/redis-client';
import express, { type Express } from 'express';

/**
 * Serves the dashboard build (static files, `index.html` at `/`) from `dir`. A missing
 * directory is logged once and leaves `/` to the 404 handler, so the gateway still runs.
 */
export function serveDashboard(app: Express, dir: string, logger: Logger): void {
  if (!existsSync(join(dir, 'index.html'))) {
    logger.warn({ dashboardDir: dir }, 'no dashboard build found (index.html missing); / is not served');
  }
  app.use(express.static(dir, { index: 'index.html', fallthrough: true }));
}
