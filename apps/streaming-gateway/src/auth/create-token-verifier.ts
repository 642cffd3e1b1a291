import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { ChannelGrant } from '../channels';
import { AuthError, AuthErrorCode } from './auth-error';
import { readChannelGrants } from './read-channel-grants';
import { toAuthError } from './to-auth-error';
import { resolveTokenVerifierOptions, type TokenVerifierOptions } from './token-verifier-options';

/** What a valid token says about its holder. */
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

/** Verifies client tokens against the configured key. */
export interface TokenVerifier {
  /**
   * Verifies a JWT: signature (algorithm pinned by the key), `exp` (required), `nbf`, `sub`
   * (required, a non-empty string), `aud`/`iss` when configured, and the channels claim.
   * Rejects with `AuthError`; the message never contains the token.
   */
  verify(token: string): Promise<VerifiedToken>;
  /** The algorithms accepted, e.g. `['HS256']`. */
  readonly algorithms: readonly string[];
}

/**
 * Creates the gateway's token verifier from configuration: an HS256 secret, an RS256/ES256
 * public key PEM, or a JWKS URL (fetched lazily on the first token, cached, refetched for an
 * unknown `kid` at most once per cooldown). Checks the configuration at once and throws
 * `AuthConfigError` when it is invalid.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const resolved = resolveTokenVerifierOptions(options);
  const usesJwks = resolved.key.kind === 'jwks';
  const key: KeyObject | JWTVerifyGetKey =
    resolved.key.kind === 'key'
      ? resolved.key.key
      : createRemoteJWKSet(resolved.key.url, {
          timeoutDuration: resolved.jwksTimeoutMs,
          cooldownDuration: resolved.jwksCooldownMs,
          cacheMaxAge: resolved.jwksCacheMaxAgeMs,
        });
  const algorithms = resolved.key.algorithms;

  async function verify(token: string): Promise<VerifiedToken> {
    if (typeof token !== 'string' || token.length === 0 || token.length > resolved.maxTokenLength) {
      throw new AuthError(AuthErrorCode.TokenMalformed, 'the token is malformed');
    }
    const verifyOptions: JWTVerifyOptions = {
      algorithms: [...algorithms],
      clockTolerance: resolved.clockToleranceSec,
      currentDate: new Date(resolved.now()),
      requiredClaims: ['exp', 'sub'],
      ...(resolved.audience === undefined ? {} : { audience: resolved.audience }),
      ...(resolved.issuer === undefined ? {} : { issuer: resolved.issuer }),
    };
    let payload: Record<string, unknown>;
    try {
      payload = (await jwtVerify(token, key, verifyOptions)).payload;
    } catch (error) {
      throw toAuthError(error, usesJwks);
    }
    const subject = payload['sub'];
    if (typeof subject !== 'string' || subject.length === 0) {
      throw new AuthError(AuthErrorCode.ClaimInvalid, 'the "sub" claim is invalid');
    }
    const exp = payload['exp'] as number;
    const { grants, ignored } = readChannelGrants(payload, resolved.channelsClaim);
    return { subject, channels: grants, expiresAtMs: Math.round((exp + resolved.clockToleranceSec) * 1000), ignoredGrants: ignored };
  }

  return { verify, algorithms };
}
