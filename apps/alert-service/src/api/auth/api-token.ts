import { TokenError, TokenErrorCode, type VerifiedJwt } from '@rebal/service-kit';
import { grantedScopes } from './api-scope';

/** What a verified bearer token says to the API: who acts, and the scopes granted. */
export interface ApiToken {
  /** The `sub` claim; the actor of the request's actions is `user:<subject>`. */
  readonly subject: string;
  /** The scopes of the `scope` (and `scp`) claim; empty when there are none (see {@link grantedScopes}). */
  readonly scopes: ReadonlySet<string>;
}

/** Longest `sub`: the actor `user:<sub>` must stay within the store's 200 characters. */
const MAX_SUBJECT_LENGTH = 195;

/**
 * The API's claim reader. The scopes are read, not checked: a token without any is valid, and
 * `requireScope` refuses it on each route with 403.
 * @throws TokenError `ERR_AUTH_CLAIM_INVALID` for a `sub` longer than 195 characters
 */
export function readApiToken(verified: VerifiedJwt): ApiToken {
  if (verified.subject.length > MAX_SUBJECT_LENGTH) {
    throw new TokenError(TokenErrorCode.ClaimInvalid, `the bearer token's "sub" claim must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }
  return { subject: verified.subject, scopes: grantedScopes(verified.claims) };
}
