/** Why {@link createJwtVerifier} refused a token. A service's claim reader may add its own codes. */
export const TokenErrorCode = {
  /** Not a JWS compact JWT, its header or claims are not JSON, or it is too long. */
  TokenMalformed: 'ERR_AUTH_TOKEN_MALFORMED',
  /** The signature does not verify with the configured key. */
  SignatureInvalid: 'ERR_AUTH_SIGNATURE_INVALID',
  /** The token's `alg` is not the one the key allows (e.g. `none`, or HS256 against an RSA key). */
  AlgorithmNotAllowed: 'ERR_AUTH_ALGORITHM_NOT_ALLOWED',
  /** `exp` has passed, beyond the clock tolerance. */
  TokenExpired: 'ERR_AUTH_TOKEN_EXPIRED',
  /** A claim failed: `aud` or `iss` mismatch, `nbf` in the future, `exp` or `sub` missing or invalid. */
  ClaimInvalid: 'ERR_AUTH_CLAIM_INVALID',
  /** The JWKS holds no single key for the token's `kid` and `alg`. */
  KeyNotFound: 'ERR_AUTH_KEY_NOT_FOUND',
  /** The JWKS could not be fetched (network, timeout, bad response): the service's problem, not the token's. */
  KeyUnavailable: 'ERR_AUTH_KEY_UNAVAILABLE',
} as const;

/** One of the {@link TokenErrorCode} values. */
export type TokenErrorCode = (typeof TokenErrorCode)[keyof typeof TokenErrorCode];

/**
 * A token was refused. The message never contains the token. `Code` widens the codes for a
 * service whose claim reader refuses tokens for reasons of its own (the gateway's channels).
 */
export class TokenError<Code extends string = TokenErrorCode> extends Error {
  /** Stable code callers test instead of the message. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenError';
    this.code = code;
  }
}
