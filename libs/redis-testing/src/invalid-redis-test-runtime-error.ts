/** Thrown for a `REDIS_TEST_RUNTIME` (or `runtime` option) other than `auto`, `process` or `container`. */
export class InvalidRedisTestRuntimeError extends Error {
  /** Stable code to test instead of the message. */
  readonly code = 'INVALID_REDIS_TEST_RUNTIME';

  constructor(value: string) {
    super(`REDIS_TEST_RUNTIME must be auto, process or container, got "${value}"`);
    this.name = 'InvalidRedisTestRuntimeError';
  }
}
