export { AuthConfigError } from './auth-config-error';
export { actorOf, bearerAuth } from './bearer-auth';
export { TokenError, type TokenErrorCode } from './token-error';
export { createTokenVerifier, type TokenVerifier, type VerifiedToken } from './token-verifier';
export { MIN_HS256_SECRET_BYTES, resolveTokenVerifierOptions, type ResolvedTokenVerifierOptions, type TokenVerifierOptions } from './token-verifier-options';
