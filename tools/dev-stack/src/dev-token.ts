import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT } from 'jose';

/**
 * The local stack's JWT secret: made once and kept in `file` (`<REBAL_DATA_DIR>/dev-jwt-secret`,
 * by default `.data/dev-jwt-secret`), so tokens printed by one start keep working after a
 * restart. Development only.
 */
export function devSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** An HS256 development token that may read every channel and use the alert API, valid for `hours`. */
export function devToken(secret: string, hours = 12): Promise<string> {
  return new SignJWT({ channels: ['*'], scope: 'alerts:read alerts:write rules:write' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('developer')
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(new TextEncoder().encode(secret));
}
