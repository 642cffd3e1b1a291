export { AuthConfigError } from './auth-config-error';
export { API_SCOPES, grantedScopes, type ApiScope } from './api-scope';
export { actorOf, AUTH_REALM, bearerAuth } from './bearer-auth';
export { requireScope, scopesOf, type ScopeGuard } from './require-scope';
export { TokenError, type TokenErrorCode } from './token-error';
export { createTokenVerifier, type TokenVerifier, type VerifiedToken } from './token-verifier';
export { MIN_HS256_SECRET_BYTES, resolveTokenVerifierOptions, type ResolvedTokenVerifierOptions, type TokenVerifierOptions } from './token-verifier-options';
