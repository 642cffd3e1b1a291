import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { AuthConfigError } from './auth-error';

/** Configuration of {@link createTokenVerifier}: exactly one of `hs256Secret`, `publicKeyPem`, `jwksUrl`. */
export interface TokenVerifierOptions {
  /** Shared HS256 secret, at least 32 bytes of UTF-8 (RFC 7518 §3.2). Never logged. */
  hs256Secret?: string;
  /** A public key in PEM (`-----BEGIN PUBLIC KEY-----`): RSA (≥ 2048 bits) verifies RS256, EC P-256 verifies ES256. */
  publicKeyPem?: string;
  /** URL of a JSON Web Key Set (`http:` or `https:`); keys are picked by `kid`, RS256 and ES256 accepted. */
  jwksUrl?: string;
  /** Required `aud`: the token must name one of these (default: `aud` not checked). */
  audience?: string | readonly string[];
  /** Required `iss`: the token must be from one of these (default: `iss` not checked). */
  issuer?: string | readonly string[];
  /** Seconds of clock skew allowed on `exp`/`nbf`, also added to `expiresAtMs` (default 5). */
  clockToleranceSec?: number;
  /** Name of the claim that lists the grants (default `channels`). */
  channelsClaim?: string;
  /** JWKS fetch timeout in ms (default 5 000). */
  jwksTimeoutMs?: number;
  /** Least ms between two JWKS fetches, e.g. for unknown `kid`s (default 30 000). */
  jwksCooldownMs?: number;
  /** ms after which the cached JWKS is fetched again (default 600 000). */
  jwksCacheMaxAgeMs?: number;
  /** Longest token accepted, in characters (default 16 384). */
  maxTokenLength?: number;
  /** Clock, ms since the Unix epoch (default `Date.now`); for tests. */
  now?: () => number;
}

/** How tokens are verified: a key and the algorithms it allows, or a JWKS URL. */
export type VerificationKey =
  | { readonly kind: 'key'; readonly key: KeyObject; readonly algorithms: readonly string[] }
  | { readonly kind: 'jwks'; readonly url: URL; readonly algorithms: readonly string[] };

/** {@link TokenVerifierOptions} with every default applied and checked. */
export interface ResolvedTokenVerifierOptions {
  readonly key: VerificationKey;
  readonly audience: string[] | undefined;
  readonly issuer: string[] | undefined;
  readonly clockToleranceSec: number;
  readonly channelsClaim: string;
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksCacheMaxAgeMs: number;
  readonly maxTokenLength: number;
  readonly now: () => number;
}

/** Least HS256 secret length in bytes. */
export const MIN_HS256_SECRET_BYTES = 32;

/** Algorithms accepted from a JWKS. */
export const JWKS_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

/** Merges the defaults into `options` once and checks every value; throws `AuthConfigError`. */
export function resolveTokenVerifierOptions(options: TokenVerifierOptions): ResolvedTokenVerifierOptions {
  if (!options || typeof options !== 'object') throw new AuthConfigError('token verifier options are required');
  return {
    key: resolveKey(options),
    audience: nonEmptyList('audience', options.audience),
    issuer: nonEmptyList('issuer', options.issuer),
    clockToleranceSec: nonNegative('clockToleranceSec', options.clockToleranceSec, 5),
    channelsClaim: claimName(options.channelsClaim ?? 'channels'),
    jwksTimeoutMs: positiveInteger('jwksTimeoutMs', options.jwksTimeoutMs, 5_000),
    jwksCooldownMs: nonNegative('jwksCooldownMs', options.jwksCooldownMs, 30_000),
    jwksCacheMaxAgeMs: positiveInteger('jwksCacheMaxAgeMs', options.jwksCacheMaxAgeMs, 600_000),
    maxTokenLength: positiveInteger('maxTokenLength', options.maxTokenLength, 16 * 1024),
    now: options.now ?? Date.now,
  };
}

function resolveKey(options: TokenVerifierOptions): VerificationKey {
  const given = (['hs256Secret', 'publicKeyPem', 'jwksUrl'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw new AuthConfigError(
      `exactly one of hs256Secret, publicKeyPem, jwksUrl is required (got ${given.length === 0 ? 'none' : given.join(', ')})`,
    );
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
    throw new AuthConfigError('publicKeyPem is not a PEM public key');
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new AuthConfigError(`publicKeyPem: an RSA key must have at least 2048 bits (got ${bits})`);
    return { kind: 'key', key, algorithms: ['RS256'] };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { kind: 'key', key, algorithms: ['ES256'] };
  }
  const details = key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : '';
  throw new AuthConfigError(`publicKeyPem must be an RSA or EC P-256 key (got ${key.asymmetricKeyType ?? 'unknown'}${details})`);
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

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved < 0) {
    throw new AuthConfigError(`${name} must be a number >= 0 (got ${String(value)})`);
  }
  return resolved;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    throw new AuthConfigError(`${name} must be a positive whole number (got ${String(value)})`);
  }
  return resolved;
}

function claimName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new AuthConfigError('channelsClaim must be a non-empty string');
  return name;
}
