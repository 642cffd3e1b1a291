import { SignJWT } from 'jose';

/** Claims of {@link mintToken}. */
export interface MintTokenOptions {
  /** `sub` (default `e2e-tester`): the alert API records actions as `user:<sub>`. */
  subject?: string;
  /** Gateway grants, the `channels` claim (default `['*']`: every channel). */
  channels?: readonly string[];
  /** Alert API scopes, the `scope` claim (default `alerts:read alerts:write rules:write`). */
  scope?: string;
  /** Lifetime in seconds (default 3600). */
  ttlSeconds?: number;
}

/**
 * An HS256 JWT signed with `secret`, like the development token of `npm start`
 * (tools/dev-stack/src/dev-token.ts): accepted by the gateway and the alert service that
 * share `AUTH_JWT_SECRET`.
 */
export function mintToken(secret: string, options: MintTokenOptions = {}): Promise<string> {
  return new SignJWT({ channels: [...(options.channels ?? ['*'])], scope: options.scope ?? 'alerts:read alerts:write rules:write' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject ?? 'e2e-tester')
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(new TextEncoder().encode(secret));
}
