// HTTP of the monitor besides the service kit's /livez, /readyz and /metrics.
export { monitorReadiness } from './readiness';
export { statusRoutes } from './status-routes';
