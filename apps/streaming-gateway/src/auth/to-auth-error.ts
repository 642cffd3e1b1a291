import { AuthError, AuthErrorCode } from './auth-error';

/** The fields of a jose error this module reads (compared by `code`, not `instanceof`). */
interface JoseErrorLike {
  readonly code?: unknown;
  readonly claim?: unknown;
  readonly reason?: unknown;
}

/**
 * Turns whatever jose threw into an {@link AuthError} with a fixed message (jose's own
 * messages and payloads are not passed on). Errors are matched on jose's stable `code`.
 * Anything unrecognised counts as `ERR_AUTH_KEY_UNAVAILABLE` when keys come from a JWKS
 * (a failed fetch surfaces as a plain network error) and `ERR_AUTH_TOKEN_MALFORMED` otherwise.
 */
export function toAuthError(error: unknown, usesJwks: boolean): AuthError {
  if (error instanceof AuthError) return error;
  const { code, claim, reason } = (typeof error === 'object' && error !== null ? error : {}) as JoseErrorLike;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthError(AuthErrorCode.TokenExpired, 'the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const name = typeof claim === 'string' ? claim : 'a';
      const problem = reason === 'missing' ? 'is missing' : 'is invalid';
      return new AuthError(AuthErrorCode.ClaimInvalid, `the "${name}" claim ${problem}`);
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new AuthError(AuthErrorCode.SignatureInvalid, 'the token signature is invalid');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new AuthError(AuthErrorCode.AlgorithmNotAllowed, 'the token algorithm is not allowed');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new AuthError(AuthErrorCode.TokenMalformed, 'the token is malformed');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new AuthError(AuthErrorCode.KeyNotFound, 'no single key of the key set matches the token');
    default:
      return usesJwks
        ? new AuthError(AuthErrorCode.KeyUnavailable, 'the key set could not be fetched', { cause: error })
        : new AuthError(AuthErrorCode.TokenMalformed, 'the token could not be verified');
  }
}
