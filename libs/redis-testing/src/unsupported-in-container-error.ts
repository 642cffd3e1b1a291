import type { RedisTestMode } from './redis-test-server';

/** Thrown when a caller asks for the container runtime in a mode only the process runtime serves. */
export class UnsupportedInContainerError extends Error {
  /** Stable code to test instead of the message. */
  readonly code = 'REDIS_TEST_UNSUPPORTED_IN_CONTAINER';

  constructor(readonly mode: RedisTestMode) {
    super(`startRedis: mode "${mode}" runs only as a redis-server process; drop runtime: 'container' or use mode 'standalone'`);
    this.name = 'UnsupportedInContainerError';
  }
}
