export { alertRoutes } from './alert-routes';
export { ruleRoutes } from './rule-routes';
export { scopedRouter, type AddRoute, type ApiHandler, type ScopedRouter } from './scoped-router';
export { silenceRoutes } from './silence-routes';
