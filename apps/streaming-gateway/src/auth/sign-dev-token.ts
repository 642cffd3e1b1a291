import { SignJWT } from 'jose';
import { AuthConfigError, hs256Key } from '@rebal/service-kit';
import { parseGrant } from '../channels';
import { DEFAULT_CHANNELS_CLAIM } from './token-verifier';

/** Options of {@link signDevToken}. */
export interface DevTokenOptions {
  /** The HS256 secret the gateway verifies with (at least 32 bytes). */
  secret: string;
  /** The `sub` claim. */
  subject: string;
  /** Grants, e.g. `['market_data', 'alerts', 'portfolio_updates:p-123', 'market_data:*']`; each must parse. */
  channels: readonly string[];
  /** Lifetime in seconds from `nowMs` (default 3 600). */
  expiresInSec?: number;
  /** The `aud` claim (default: none). */
  audience?: string;
  /** The `iss` claim (default: none). */
  issuer?: string;
  /** Name of the channels claim (default `channels`). */
  channelsClaim?: string;
  /** Issue time, ms since the Unix epoch (default `Date.now()`); a past time makes an expired token for tests. */
  nowMs?: number;
}

/**
 * Signs an HS256 token for tests and the local stack (the dashboard URL's development token).
 * Not for production issuers. Throws `AuthConfigError` for a short secret, an invalid grant or
 * a non-positive lifetime.
 */
export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const key = hs256Key(options.secret);
  if (typeof options.subject !== 'string' || options.subject.length === 0) throw new AuthConfigError('subject must be a non-empty string');
  options.channels.forEach((grant, index) => {
    const parsed = parseGrant(grant);
    if (!parsed.ok) throw new AuthConfigError(`channels[${index}]: ${parsed.message}`);
  });
  const expiresInSec = options.expiresInSec ?? 3_600;
  if (!Number.isSafeInteger(expiresInSec) || expiresInSec <= 0) {
    throw new AuthConfigError(`expiresInSec must be a positive whole number (got ${String(options.expiresInSec)})`);
  }
  const issuedAt = Math.floor((options.nowMs ?? Date.now()) / 1000);
  let jwt = new SignJWT({ [options.channelsClaim ?? DEFAULT_CHANNELS_CLAIM]: [...options.channels] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresInSec);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  return jwt.sign(key);
}
