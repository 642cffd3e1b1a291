/** Why a bearer token was refused. */
export type TokenErrorCode = 'ERR_TOKEN_MISSING' | 'ERR_TOKEN_INVALID' | 'ERR_TOKEN_EXPIRED';

/**
 * A request's bearer token was missing, malformed, badly signed, for another audience or
 * issuer, or expired. The API answers 401 `unauthorized` with `WWW-Authenticate: Bearer`.
 * The message never contains the token.
 */
export class TokenError extends Error {
  /** Stable code (see {@link TokenErrorCode}). */
  readonly code: TokenErrorCode;

  /**
   * @param code why the token was refused
   * @param message what was wrong, for people (never the token itself)
   */
  constructor(code: TokenErrorCode, message: string) {
    super(message);
    this.name = 'TokenError';
    this.code = code;
  }
}
