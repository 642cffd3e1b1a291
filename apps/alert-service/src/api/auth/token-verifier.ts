import { errors, jwtVerify } from 'jose';
import { grantedScopes } from './api-scope';
import { TokenError } from './token-error';
import { resolveTokenVerifierOptions, type TokenVerifierOptions } from './token-verifier-options';

/** What a valid token says about its holder. */
export interface VerifiedToken {
  /** The `sub` claim. */
  readonly subject: string;
  /** `exp` in ms since the epoch. */
  readonly expiresAtMs: number;
  /** The scopes granted by the `scope` (and `scp`) claim; empty when there is none (see `grantedScopes`). */
  readonly scopes: ReadonlySet<string>;
}

/** Verifies bearer tokens. */
export interface TokenVerifier {
  /**
   * Verifies a compact JWT: signature with the configured key and its one algorithm, `exp`
   * (required), `nbf`, `sub` (required, 1 to 195 characters so `user:<sub>` is a valid
   * actor), `aud` and `iss` when configured. The scopes are read, not checked: a token without
   * any is valid, and `requireScope` refuses it on each route with 403.
   * @throws TokenError `ERR_TOKEN_EXPIRED` or `ERR_TOKEN_INVALID` (never quoting the token)
   */
  verify(token: string): Promise<VerifiedToken>;
  /** The accepted algorithm, e.g. `HS256`. */
  readonly algorithm: string;
}

/** Longest token accepted, in characters. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Longest `sub`: the actor `user:<sub>` must stay within the store's 200 characters. */
const MAX_SUBJECT_LENGTH = 195;

/**
 * Creates the API's token verifier from an HS256 secret or an RS256/ES256 public key.
 * @throws AuthConfigError for unusable options
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const resolved = resolveTokenVerifierOptions(options);
  async function verify(token: string): Promise<VerifiedToken> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new TokenError('ERR_TOKEN_INVALID', 'the bearer token is malformed');
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, resolved.key, {
        algorithms: [resolved.algorithm],
        clockTolerance: resolved.clockToleranceSec,
        currentDate: new Date(resolved.now()),
        requiredClaims: ['exp', 'sub'],
        ...(resolved.audience ? { audience: resolved.audience } : {}),
        ...(resolved.issuer ? { issuer: resolved.issuer } : {}),
      });
      payload = result.payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenError('ERR_TOKEN_EXPIRED', 'the bearer token has expired');
      if (error instanceof errors.JWTClaimValidationFailed) throw new TokenError('ERR_TOKEN_INVALID', `the bearer token's "${error.claim}" claim is not accepted`);
      throw new TokenError('ERR_TOKEN_INVALID', 'the bearer token is not valid');
    }
    const subject = payload['sub'];
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
      throw new TokenError('ERR_TOKEN_INVALID', `the bearer token's "sub" claim must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
    }
    return { subject, expiresAtMs: (payload['exp'] as number) * 1000, scopes: grantedScopes(payload) };
  }
  return { verify, algorithm: resolved.algorithm };
}
