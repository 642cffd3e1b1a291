/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The dashboard's browser entry point, bundled by build-dashboard.ts into main.js.
import { DashboardApp } from './dashboard-app';
import { DASHBOARD_CONFIG_PATH, readDashboardConfig, type ServedDashboardConfig } from './dashboard-config';
import { byId } from './dom';

/** The settings the gateway serves for this deployment; none when it answers with anything else (the defaults apply). */
async function servedConfig(): Promise<ServedDashboardConfig> {
  try {
    const response = await fetch(DASHBOARD_CONFIG_PATH, { cache: 'no-store' });
    return response.ok ? ((await response.json()) as ServedDashboardConfig) : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const config = readDashboardConfig(window.location, await servedConfig());
  if (config.token === undefined) {
    const state = byId('connection-state');
    state.dataset['state'] = 'closed';
    state.textContent = 'no token';
    byId('connection-detail').textContent = 'Open the dashboard URL printed by `npm start` (it ends in ?token=...).';
    return;
  }
  new DashboardApp({ ...config, token: config.token }).start();
}

void main();
