export { alertRoutes } from './alert-routes';
export { ruleRoutes } from './rule-routes';
export { silenceRoutes } from './silence-routes';
