// The live dashboard: browser sources (main.ts and its modules, index.html, styles.css) and
// the build step that bundles them. Only the build step is for Node code to import (the gateway's
// server imports dashboard-config.ts itself for the settings it serves to the page).
export { buildDashboard, DASHBOARD_STATIC_FILES, type BuildDashboardOptions, type DashboardBuild } from './build-dashboard';
