import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';

/** What a {@link HostileToken} should get: `expired` for a well-signed token past its `exp`, `invalid` for anything else. */
export type HostileTokenVerdict = 'expired' | 'invalid';

/** A token both services must refuse, and why. */
export interface HostileToken {
  /** Short name for failure messages, e.g. `alg-none`. */
  readonly name: string;
  /** The compact JWT (or not-quite-JWT) text. */
  readonly token: string;
  /** How the refusal is documented: `token_expired` (API) / 4003 (gateway), or `token_invalid` / 4001. */
  readonly verdict: HostileTokenVerdict;
}

/** Options of {@link hostileTokens}. */
export interface HostileTokensOptions {
  /** The services' real HS256 secret: the forgeries that need it (wrong algorithm, tampered payload) use it. */
  secret: string;
  /** `sub` of every token (default `e2e-intruder`). */
  subject?: string;
  /** The `channels` claim of every token (default `['*']`: if one were accepted, it could read everything). */
  channels?: readonly string[];
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Tokens a client could forge or replay, each one documented as refused by the alert API
 * (docs/api.md "Authentication": 401) and by the gateway (docs/protocol.md "The first
 * authentication fails"): signed with another secret, expired, unsigned (`alg: none`, with
 * and without the original signature left on), signed with the right secret but another
 * HMAC algorithm, a payload changed after signing, without `exp`, without `sub`, not valid
 * yet (`nbf`), and not a JWT at all. Every one asks for everything (`channels: ['*']`, all
 * scopes), so an accepted one would show.
 */
export async function hostileTokens(options: HostileTokensOptions): Promise<HostileToken[]> {
  const secret = new TextEncoder().encode(options.secret);
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { channels: [...(options.channels ?? ['*'])], scope: 'alerts:read alerts:write rules:write' };
  const subject = options.subject ?? 'e2e-intruder';
  const signed = (payload: JWTPayload, alg = 'HS256', key = secret) =>
    new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
  const valid = await signed({ ...claims, sub: subject, iat: now, exp: now + 3600 });
  const [, payload, signature] = valid.split('.') as [string, string, string];
  return [
    { name: 'another-secret', token: await signed({ ...claims, sub: subject, iat: now, exp: now + 3600 }, 'HS256', randomBytes(32)), verdict: 'invalid' },
    // An hour past `exp`: far beyond any clock tolerance (5 s by default).
    { name: 'expired', token: await signed({ ...claims, sub: subject, iat: now - 7200, exp: now - 3600 }), verdict: 'expired' },
    { name: 'alg-none', token: new UnsecuredJWT({ ...claims }).setSubject(subject).setIssuedAt(now).setExpirationTime(now + 3600).encode(), verdict: 'invalid' },
    { name: 'alg-none-with-signature', token: `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`, verdict: 'invalid' },
    { name: 'hs512-same-secret', token: await signed({ ...claims, sub: subject, iat: now, exp: now + 3600 }, 'HS512'), verdict: 'invalid' },
    { name: 'tampered-payload', token: `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, sub: 'admin', iat: now, exp: now + 3600 })}.${signature}`, verdict: 'invalid' },
    { name: 'no-exp', token: await signed({ ...claims, sub: subject, iat: now }), verdict: 'invalid' },
    { name: 'no-sub', token: await signed({ ...claims, iat: now, exp: now + 3600 }), verdict: 'invalid' },
    { name: 'not-yet-valid', token: await signed({ ...claims, sub: subject, iat: now, nbf: now + 3600, exp: now + 7200 }), verdict: 'invalid' },
    { name: 'not-a-jwt', token: 'not.a-jwt.at-all', verdict: 'invalid' },
  ];
}
