import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { AuthConfigError } from './auth-config-error';

/** How the API verifies bearer tokens: exactly one of `hs256Secret` and `publicKeyPem`. */
export interface TokenVerifierOptions {
  /** Shared HS256 secret, at least 32 bytes of UTF-8 (RFC 7518 §3.2). Never logged. */
  hs256Secret?: string;
  /** Public key in PEM: RSA (≥ 2048 bits) verifies RS256, EC P-256 verifies ES256. */
  publicKeyPem?: string;
  /** Accepted `aud` values; the token must name one of them (default: `aud` not checked). */
  audience?: readonly string[];
  /** Accepted `iss` values (default: `iss` not checked). */
  issuer?: readonly string[];
  /** Clock skew allowed on `exp` and `nbf`, in seconds (default 5). */
  clockToleranceSec?: number;
  /** Current time in ms (default `Date.now`); for tests. */
  now?: () => number;
}

/** {@link TokenVerifierOptions} checked, with the key material and its one algorithm. */
export interface ResolvedTokenVerifierOptions {
  readonly key: KeyObject;
  /** The single algorithm the key allows (`HS256`, `RS256` or `ES256`): no algorithm confusion. */
  readonly algorithm: 'HS256' | 'RS256' | 'ES256';
  readonly audience?: string[];
  readonly issuer?: string[];
  readonly clockToleranceSec: number;
  readonly now: () => number;
}

/** Least HS256 secret length in bytes. */
export const MIN_HS256_SECRET_BYTES = 32;

/**
 * Merges the defaults and checks every option once.
 * @throws AuthConfigError naming what is wrong (never the secret)
 */
export function resolveTokenVerifierOptions(options: TokenVerifierOptions): ResolvedTokenVerifierOptions {
  const given = (['hs256Secret', 'publicKeyPem'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw new AuthConfigError(`exactly one of hs256Secret and publicKeyPem is required (got ${given.length === 0 ? 'none' : 'both'})`);
  }
  const clockToleranceSec = options.clockToleranceSec ?? 5;
  if (!Number.isFinite(clockToleranceSec) || clockToleranceSec < 0) throw new AuthConfigError(`clockToleranceSec must be a number >= 0`);
  const key = options.hs256Secret !== undefined ? { key: hs256Key(options.hs256Secret), algorithm: 'HS256' as const } : publicKey(options.publicKeyPem ?? '');
  return {
    ...key,
    ...list('audience', options.audience),
    ...list('issuer', options.issuer),
    clockToleranceSec,
    now: options.now ?? Date.now,
  };
}

function hs256Key(secret: string): KeyObject {
  if (Buffer.byteLength(secret, 'utf8') < MIN_HS256_SECRET_BYTES) {
    throw new AuthConfigError(`the HS256 secret must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

function publicKey(pem: string): { key: KeyObject; algorithm: 'RS256' | 'ES256' } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AuthConfigError('not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new AuthConfigError(`an RSA key must have at least 2048 bits (got ${bits})`);
    return { key, algorithm: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' };
  throw new AuthConfigError(`the public key must be RSA (RS256) or EC P-256 (ES256), got ${key.asymmetricKeyType ?? 'unknown'}`);
}

function list(name: 'audience' | 'issuer', values: readonly string[] | undefined): Partial<Record<'audience' | 'issuer', string[]>> {
  if (values === undefined) return {};
  if (values.length === 0 || values.some((value) => typeof value !== 'string' || value.length === 0)) {
    throw new AuthConfigError(`${name} must be a non-empty list of non-empty strings`);
  }
  return { [name]: [...values] };
}
