/** Thrown for a `REDIS_TEST_SERVER` other than `redis`, `valkey` or the path of a `redis-server` or `valkey-server` binary. */
export class InvalidRedisTestServerError extends Error {
  /** Stable code to test instead of the message. */
  readonly code = 'INVALID_REDIS_TEST_SERVER';

  constructor(value: string) {
    super(`REDIS_TEST_SERVER must be redis, valkey, or the path of a redis-server or valkey-server binary, got "${value}"`);
    this.name = 'InvalidRedisTestServerError';
  }
}
