export { AuthErrorCode, closeCodeForAuthError, protocolErrorCodeFor, type AuthError } from './auth-error';
export { readChannelGrants, type ChannelGrants } from './read-channel-grants';
export { signDevToken, type DevTokenOptions } from './sign-dev-token';
export { createTokenVerifier, DEFAULT_CHANNELS_CLAIM, type GatewayAuthSettings, type TokenVerifier, type VerifiedToken } from './token-verifier';
