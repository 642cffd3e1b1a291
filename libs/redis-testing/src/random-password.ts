import { randomBytes } from 'node:crypto';

/** A fresh random password for one test server: 32 hex characters, safe in a URL as is. */
export function randomPassword(): string {
  return randomBytes(16).toString('hex');
}
