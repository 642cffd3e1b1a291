/**
 * Token settings that cannot work: no key or several, an HS256 secret shorter than 32 bytes,
 * a PEM that is not an RSA (≥ 2048 bits) or EC P-256 public key, a JWKS URL that is not
 * http(s). The message never contains the secret. Callers test `code`.
 */
export class AuthConfigError extends Error {
  readonly code = 'ERR_AUTH_CONFIG';

  /** @param message what is wrong and what was expected, free of secrets */
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}
