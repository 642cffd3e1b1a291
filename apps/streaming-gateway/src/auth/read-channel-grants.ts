import { TokenError } from '@rebal/service-kit';
import { parseGrant, type ChannelGrant } from '../channels';
import { AuthErrorCode } from './auth-error';

/** The grants of a token, and the claim entries that were ignored. */
export interface ChannelGrants {
  /** Grants parsed from the claim, in claim order, without repeats. */
  readonly grants: ChannelGrant[];
  /** Entries that are not valid grants (unknown stream, malformed): ignored, for the server to log. */
  readonly ignored: string[];
}

/**
 * The gateway's claim reader: the channels claim of a verified token. Throws `TokenError` `ERR_AUTH_CHANNELS_MISSING`
 * when the claim is absent and `ERR_AUTH_CHANNELS_INVALID` when it is not an array of strings;
 * entries that do not parse as grants are ignored (an issuer may grant a stream this gateway
 * does not know yet). An empty array is valid: an authenticated client that may read nothing.
 */
export function readChannelGrants(claims: Readonly<Record<string, unknown>>, claimName: string): ChannelGrants {
  if (!Object.hasOwn(claims, claimName) || claims[claimName] === undefined) {
    throw new TokenError(AuthErrorCode.ChannelsMissing, `the token has no "${claimName}" claim`);
  }
  const claim = claims[claimName];
  if (!Array.isArray(claim) || claim.some((entry) => typeof entry !== 'string')) {
    throw new TokenError(AuthErrorCode.ChannelsInvalid, `the "${claimName}" claim must be an array of strings`);
  }
  const grants: ChannelGrant[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const entry of claim as string[]) {
    const parsed = parseGrant(entry);
    if (!parsed.ok) {
      ignored.push(entry);
    } else if (!seen.has(parsed.grant.name)) {
      seen.add(parsed.grant.name);
      grants.push(parsed.grant);
    }
  }
  return { grants, ignored };
}
