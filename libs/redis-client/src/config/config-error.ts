/**
 * A bad configuration value: thrown by `parseRedisConfig` (and by `createRedisConnection`
 * when the TLS CA file cannot be read). The message names the variable and what was
 * expected, and never contains a password. Callers test `code`, not the message.
 */
export class ConfigError extends Error {
  /** Stable code for every configuration error. */
  readonly code = 'ERR_CONFIG';
  /** Name of the environment variable that holds the bad value, e.g. `REDIS_URL`. */
  readonly variable: string;

  /**
   * @param variable the environment variable's name
   * @param message what is wrong and what was expected; it must already be free of secrets
   */
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
