/**
 * The API's token settings are unusable: no key or two keys, an HS256 secret shorter than
 * 32 bytes, a PEM that is not an RSA (≥ 2048 bits) or EC P-256 public key. The message never
 * contains the secret. Callers test `code`.
 */
export class AuthConfigError extends Error {
  /** Stable code of every token configuration error. */
  readonly code = 'ERR_AUTH_CONFIG';

  /** @param message what is wrong and what was expected, free of secrets */
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}
