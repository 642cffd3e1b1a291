export { AuthConfigError, AuthError, AuthErrorCode, closeCodeForAuthError, protocolErrorCodeFor } from './auth-error';
export { createTokenVerifier, type TokenVerifier, type VerifiedToken } from './create-token-verifier';
export { readChannelGrants, type ChannelGrants } from './read-channel-grants';
export { signDevToken, type DevTokenOptions } from './sign-dev-token';
export { JWKS_ALGORITHMS, MIN_HS256_SECRET_BYTES, type TokenVerifierOptions } from './token-verifier-options';
