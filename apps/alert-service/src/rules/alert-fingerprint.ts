import { createHash } from 'node:crypto';

/** Length of a fingerprint: the first 16 hex characters of a SHA-256. */
export const FINGERPRINT_LENGTH = 16;

/**
 * The dedup fingerprint of an alert: the first 16 hex characters of the SHA-256 of its labels
 * sorted by name, so the order labels were built in never matters. Two observations with the
 * same labels are the same alert (`{alerts}:fp:<fingerprint>`).
 */
export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  // JSON of [name, value] pairs: unambiguous whatever characters names and values contain.
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, FINGERPRINT_LENGTH);
}
