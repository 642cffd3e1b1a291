/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The dashboard's browser entry point, bundled by build-dashboard.ts into main.js.
import { DashboardApp } from './dashboard-app';
import { readDashboardConfig } from './dashboard-config';
import { byId } from './dom';

function main(): void {
  const config = readDashboardConfig(window.location);
  if (config.token === undefined) {
    const state = byId('connection-state');
    state.dataset['state'] = 'closed';
    state.textContent = 'no token';
    byId('connection-detail').textContent = 'Open the dashboard URL printed by `npm start` (it ends in ?token=...).';
    return;
  }
  new DashboardApp({ ...config, token: config.token }).start();
}

main();
