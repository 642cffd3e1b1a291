/** A programming error in the options given to `createRedisConnection` or `ConnectionState`. */
export class InvalidConnectionOptionError extends Error {
  /** Stable code for every bad option. */
  readonly code = 'ERR_INVALID_CONNECTION_OPTION';

  /** @param message which option is wrong and what it must be */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConnectionOptionError';
  }
}
