import { AuthConfigError, createJwtVerifier, type JwtVerifierOptions } from '@rebal/service-kit';
import type { ChannelGrant } from '../channels';
import { readChannelGrants } from './read-channel-grants';

/** The claim that lists a token's grants unless `AUTH_CHANNELS_CLAIM` says otherwise. */
export const DEFAULT_CHANNELS_CLAIM = 'channels';

/** How the gateway verifies client tokens: the shared verifier's options and the claim that lists the grants. */
export type GatewayAuthSettings = JwtVerifierOptions & {
  /** Name of the claim that lists the grants (`AUTH_CHANNELS_CLAIM`, default {@link DEFAULT_CHANNELS_CLAIM}). */
  readonly channelsClaim?: string;
};

/** What a valid client token says. */
export interface VerifiedToken {
  /** The `sub` claim: who the client is. */
  readonly subject: string;
  /** What the client may subscribe to, from the channels claim (see `ChannelGrant`). */
  readonly channels: ChannelGrant[];
  /** When the authentication ends: `exp` plus the clock tolerance, ms since the Unix epoch. Close the connection (4003) then. */
  readonly expiresAtMs: number;
  /** Channels-claim entries that were ignored (unknown stream, malformed); worth a log line, never an error. */
  readonly ignoredGrants: string[];
}

/** Verifies client tokens. */
export interface TokenVerifier {
  /** The shared verifier's checks, then the channels claim. Rejects with `TokenError` (an `AuthErrorCode`). */
  verify(token: string): Promise<VerifiedToken>;
  /** The algorithms accepted, e.g. `['HS256']`. */
  readonly algorithms: readonly string[];
}

/**
 * The shared JWT verifier of `@rebal/service-kit` followed by the gateway's claim reader.
 * @throws AuthConfigError for settings that cannot work
 */
export function createTokenVerifier(settings: GatewayAuthSettings): TokenVerifier {
  const { channelsClaim = DEFAULT_CHANNELS_CLAIM, ...options } = settings;
  if (typeof channelsClaim !== 'string' || channelsClaim.length === 0) throw new AuthConfigError('channelsClaim must be a non-empty string');
  const jwt = createJwtVerifier(options);
  return {
    algorithms: jwt.algorithms,
    async verify(token) {
      const verified = await jwt.verify(token);
      const { grants, ignored } = readChannelGrants(verified.claims, channelsClaim);
      return { subject: verified.subject, channels: grants, expiresAtMs: verified.acceptedUntilMs, ignoredGrants: ignored };
    },
  };
}
