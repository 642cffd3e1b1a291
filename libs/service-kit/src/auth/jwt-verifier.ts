import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { KeyObject } from 'node:crypto';
import { resolveJwtVerifierOptions, type JwtVerifierOptions } from './jwt-verifier-options';
import { TokenError, TokenErrorCode } from './token-error';

/** A token that verified: who holds it, until when, and its claims for the service's claim reader. */
export interface VerifiedJwt {
  /** The `sub` claim, a non-empty string. */
  readonly subject: string;
  /** `exp`, in ms since the Unix epoch. */
  readonly expiresAtMs: number;
  /** `exp` plus the clock tolerance: the last moment this verifier accepts the token. */
  readonly acceptedUntilMs: number;
  /** Every claim of the token (the service reads its own: scopes, channel grants). */
  readonly claims: Readonly<JWTPayload>;
}

/** Verifies bearer tokens with one configured key. */
export interface JwtVerifier {
  /**
   * Verifies a compact JWT: the signature with the key and its one algorithm, `exp`
   * (required), `nbf`, `sub` (required, non-empty), and `aud` and `iss` when configured.
   * @throws TokenError (never quoting the token)
   */
  verify(token: string): Promise<VerifiedJwt>;
  /** The algorithms accepted, e.g. `['HS256']`. */
  readonly algorithms: readonly string[];
}

/** Longest token accepted, in characters: far above any real JWT, small enough to refuse junk before decoding it. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

// A JWKS is fetched on the first token, kept 10 minutes, and fetched again for an unknown
// `kid` at most every 30 s: a key rotation is picked up at once, a flood of made-up `kid`s
// does not become a flood of requests.
const JWKS_TIMEOUT_MS = 5_000;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_CACHE_MAX_AGE_MS = 600_000;

/**
 * The one JWT verifier of the services: an HS256 secret, an RS256/ES256 public key in PEM, or
 * a JWKS URL. Checks the options at once.
 * @throws AuthConfigError for options that cannot work
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const resolved = resolveJwtVerifierOptions(options);
  const { algorithms } = resolved.key;
  const usesJwks = resolved.key.kind === 'jwks';
  const key: KeyObject | JWTVerifyGetKey =
    resolved.key.kind === 'key'
      ? resolved.key.key
      : createRemoteJWKSet(resolved.key.url, { timeoutDuration: JWKS_TIMEOUT_MS, cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: JWKS_CACHE_MAX_AGE_MS });
  const toleranceMs = resolved.clockToleranceSec * 1000;

  async function verify(token: string): Promise<VerifiedJwt> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new TokenError(TokenErrorCode.TokenMalformed, 'the token is malformed');
    }
    let claims: JWTPayload;
    try {
      const result = await jwtVerify(token, key, {
        algorithms: [...algorithms],
        clockTolerance: resolved.clockToleranceSec,
        currentDate: new Date(resolved.now()),
        requiredClaims: ['exp', 'sub'],
        ...(resolved.audience === undefined ? {} : { audience: resolved.audience }),
        ...(resolved.issuer === undefined ? {} : { issuer: resolved.issuer }),
      });
      claims = result.payload;
    } catch (error) {
      throw toTokenError(error, usesJwks);
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject.length === 0) throw new TokenError(TokenErrorCode.ClaimInvalid, 'the "sub" claim is invalid');
    const expiresAtMs = (claims.exp as number) * 1000;
    return { subject, expiresAtMs, acceptedUntilMs: Math.round(expiresAtMs + toleranceMs), claims };
  }

  return { verify, algorithms };
}

/** The fields of a jose error read here (matched on jose's stable `code`, not `instanceof`). */
interface JoseErrorLike {
  readonly code?: unknown;
  readonly claim?: unknown;
  readonly reason?: unknown;
}

/**
 * A fixed-message {@link TokenError} for what jose threw (jose's messages and payloads are not
 * passed on). Anything unrecognised is `KeyUnavailable` with a JWKS (a failed fetch surfaces
 * as a plain network error) and `TokenMalformed` otherwise.
 */
function toTokenError(error: unknown, usesJwks: boolean): TokenError {
  const { code, claim, reason } = (typeof error === 'object' && error !== null ? error : {}) as JoseErrorLike;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new TokenError(TokenErrorCode.TokenExpired, 'the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new TokenError(TokenErrorCode.ClaimInvalid, `the "${typeof claim === 'string' ? claim : 'a'}" claim ${reason === 'missing' ? 'is missing' : 'is invalid'}`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new TokenError(TokenErrorCode.SignatureInvalid, 'the token signature is invalid');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new TokenError(TokenErrorCode.AlgorithmNotAllowed, 'the token algorithm is not allowed');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new TokenError(TokenErrorCode.TokenMalformed, 'the token is malformed');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new TokenError(TokenErrorCode.KeyNotFound, 'no single key of the key set matches the token');
    default:
      return usesJwks
        ? new TokenError(TokenErrorCode.KeyUnavailable, 'the key set could not be fetched', { cause: error })
        : new TokenError(TokenErrorCode.TokenMalformed, 'the token could not be verified');
  }
}
