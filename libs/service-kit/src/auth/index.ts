export { AuthConfigError } from './auth-config-error';
export { authEnv, parseAuthSettings, type AuthVars } from './auth-env';
export { createJwtVerifier, MAX_TOKEN_LENGTH, type JwtVerifier, type VerifiedJwt } from './jwt-verifier';
export { DEFAULT_CLOCK_TOLERANCE_SEC, hs256Key, MIN_HS256_SECRET_BYTES, type JwtVerifierOptions } from './jwt-verifier-options';
export { TokenError, TokenErrorCode } from './token-error';
