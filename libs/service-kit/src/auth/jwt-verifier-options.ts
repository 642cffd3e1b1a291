import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { AuthConfigError } from './auth-config-error';

/** How tokens are verified: exactly one of `hs256Secret`, `publicKeyPem` and `jwksUrl`. */
export interface JwtVerifierOptions {
  /** Shared HS256 secret, at least 32 bytes of UTF-8 (RFC 7518 §3.2). Never logged. */
  readonly hs256Secret?: string;
  /** A public key in PEM (`-----BEGIN PUBLIC KEY-----`): RSA (≥ 2048 bits) verifies RS256, EC P-256 verifies ES256. */
  readonly publicKeyPem?: string;
  /** URL of a JSON Web Key Set (`http:` or `https:`); keys are picked by `kid`, RS256 and ES256 accepted. */
  readonly jwksUrl?: string;
  /** Accepted `aud` values: the token must name one (default: `aud` not checked). */
  readonly audience?: string | readonly string[];
  /** Accepted `iss` values (default: `iss` not checked). */
  readonly issuer?: string | readonly string[];
  /** Clock skew allowed on `exp` and `nbf`, in seconds (default {@link DEFAULT_CLOCK_TOLERANCE_SEC}). */
  readonly clockToleranceSec?: number;
  /** Clock, ms since the Unix epoch (default `Date.now`); for tests. */
  readonly now?: () => number;
}

/** The key a token must verify with and its algorithms: one algorithm per key, so no algorithm confusion. */
export type VerificationKey =
  | { readonly kind: 'key'; readonly key: KeyObject; readonly algorithms: readonly string[] }
  | { readonly kind: 'jwks'; readonly url: URL; readonly algorithms: readonly string[] };

/** {@link JwtVerifierOptions} checked, with every default applied. */
export interface ResolvedJwtVerifierOptions {
  readonly key: VerificationKey;
  readonly audience: string[] | undefined;
  readonly issuer: string[] | undefined;
  readonly clockToleranceSec: number;
  readonly now: () => number;
}

/** Least HS256 secret length in bytes. */
export const MIN_HS256_SECRET_BYTES = 32;

/** Clock skew allowed on `exp` and `nbf` unless configured (`AUTH_CLOCK_TOLERANCE`). */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;

/** Algorithms accepted from a JWKS. */
export const JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

/** Checks every option once and applies the defaults; throws `AuthConfigError` (never quoting the secret). */
export function resolveJwtVerifierOptions(options: JwtVerifierOptions): ResolvedJwtVerifierOptions {
  if (!options || typeof options !== 'object') throw new AuthConfigError('token verifier options are required');
  const clockToleranceSec = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  if (typeof clockToleranceSec !== 'number' || !Number.isFinite(clockToleranceSec) || clockToleranceSec < 0) {
    throw new AuthConfigError(`clockToleranceSec must be a number >= 0 (got ${String(options.clockToleranceSec)})`);
  }
  return {
    key: resolveKey(options),
    audience: nonEmptyList('audience', options.audience),
    issuer: nonEmptyList('issuer', options.issuer),
    clockToleranceSec,
    now: options.now ?? Date.now,
  };
}

function resolveKey(options: JwtVerifierOptions): VerificationKey {
  const given = (['hs256Secret', 'publicKeyPem', 'jwksUrl'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw new AuthConfigError(`exactly one of hs256Secret, publicKeyPem, jwksUrl is required (got ${given.length === 0 ? 'none' : given.join(', ')})`);
  }
  if (options.hs256Secret !== undefined) return { kind: 'key', key: hs256Key(options.hs256Secret), algorithms: ['HS256'] };
  if (options.publicKeyPem !== undefined) return publicKey(options.publicKeyPem);
  return { kind: 'jwks', url: jwksUrl(options.jwksUrl as string), algorithms: JWKS_ALGORITHMS };
}

/** The HMAC key of an HS256 secret; throws `AuthConfigError` when it is shorter than 32 bytes. */
export function hs256Key(secret: string): KeyObject {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_HS256_SECRET_BYTES) {
    throw new AuthConfigError(`hs256Secret must be a string of at least ${MIN_HS256_SECRET_BYTES} bytes`);
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

function publicKey(pem: string): VerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AuthConfigError('publicKeyPem is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new AuthConfigError(`publicKeyPem: an RSA key must have at least 2048 bits (got ${bits})`);
    return { kind: 'key', key, algorithms: ['RS256'] };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { kind: 'key', key, algorithms: ['ES256'] };
  const curve = key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : '';
  throw new AuthConfigError(`publicKeyPem must be an RSA or EC P-256 key (got ${key.asymmetricKeyType ?? 'unknown'}${curve})`);
}

function jwksUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthConfigError('jwksUrl is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AuthConfigError('jwksUrl must be an http: or https: URL');
  return url;
}

function nonEmptyList(name: string, value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw new AuthConfigError(`${name} must be a non-empty string or list of non-empty strings`);
  }
  return list;
}
