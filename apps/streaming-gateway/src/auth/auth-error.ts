import { GatewayCloseCode, ServerErrorCode } from '@rebal/gateway-client';
import { type SentCloseCode } from '../protocol';

/** Stable codes of {@link AuthError}: why a token was refused. */
export const AuthErrorCode = {
  /** Not a JWS compact JWT, or its header or claims are not valid JSON, or it is too long. */
  TokenMalformed: 'ERR_AUTH_TOKEN_MALFORMED',
  /** The signature does not verify with the configured key. */
  SignatureInvalid: 'ERR_AUTH_SIGNATURE_INVALID',
  /** The token's `alg` is not one the configured key allows (e.g. `none`, or HS256 against an RSA key). */
  AlgorithmNotAllowed: 'ERR_AUTH_ALGORITHM_NOT_ALLOWED',
  /** `exp` has passed (beyond the clock tolerance). */
  TokenExpired: 'ERR_AUTH_TOKEN_EXPIRED',
  /** A registered claim failed: `aud` or `iss` mismatch, `nbf` in the future, `exp`/`sub` missing or invalid. */
  ClaimInvalid: 'ERR_AUTH_CLAIM_INVALID',
  /** No channels claim: the token grants nothing this gateway understands. */
  ChannelsMissing: 'ERR_AUTH_CHANNELS_MISSING',
  /** The channels claim is not an array of strings. */
  ChannelsInvalid: 'ERR_AUTH_CHANNELS_INVALID',
  /** The JWKS holds no key for the token's `kid`/`alg`. */
  KeyNotFound: 'ERR_AUTH_KEY_NOT_FOUND',
  /** The JWKS could not be fetched (network, timeout, bad response): the gateway's problem, not the token's. */
  KeyUnavailable: 'ERR_AUTH_KEY_UNAVAILABLE',
} as const;

/** One of the {@link AuthErrorCode} values. */
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** A token was refused. The message never contains the token. */
export class AuthError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthError';
    this.code = code;
  }
}

/** The token verifier's configuration is invalid (thrown by `createTokenVerifier` and `signDevToken`). */
export class AuthConfigError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_AUTH_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

/**
 * The protocol error code to answer a refused token with: `token_expired` for an expired
 * token, `unavailable` when the keys could not be fetched (retry later), `auth_failed`
 * otherwise.
 */
export function protocolErrorCodeFor(code: AuthErrorCode): ServerErrorCode {
  if (code === AuthErrorCode.TokenExpired) return ServerErrorCode.TokenExpired;
  if (code === AuthErrorCode.KeyUnavailable) return ServerErrorCode.Unavailable;
  return ServerErrorCode.AuthFailed;
}

/**
 * The close code for a refused FIRST authentication (a refused refresh closes nothing):
 * 4003 for an expired token, 1013 (try again later) when the keys could not be fetched,
 * 4001 otherwise. Send the `error` frame first.
 */
export function closeCodeForAuthError(code: AuthErrorCode): SentCloseCode {
  if (code === AuthErrorCode.TokenExpired) return GatewayCloseCode.TokenExpired;
  if (code === AuthErrorCode.KeyUnavailable) return GatewayCloseCode.TryAgainLater;
  return GatewayCloseCode.AuthFailed;
}
