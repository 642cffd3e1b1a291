export { API_SCOPES, grantedScopes, type ApiScope } from './api-scope';
export { readApiToken, type ApiToken } from './api-token';
export { actorOf, AUTH_REALM, bearerAuth } from './bearer-auth';
export { requireScope, scopesOf, type ScopeGuard } from './require-scope';
