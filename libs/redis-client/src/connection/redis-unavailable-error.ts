/**
 * Redis could not be used in time: `waitUntilReady` timed out, or the connection was closed
 * for good. The message names the connection's `displayUrl` (password replaced by `***`)
 * and the last connection error ioredis reported, never a password.
 */
export class RedisUnavailableError extends Error {
  /** Stable code: map it to HTTP 503 / "degraded mode". */
  readonly code = 'ERR_REDIS_UNAVAILABLE';
  /** The connection's address, safe to log. */
  readonly displayUrl: string;
  /** ioredis status when giving up, e.g. `reconnecting` or `end`. */
  readonly status: string;

  /**
   * @param message full message (already free of secrets)
   * @param displayUrl the connection's redacted address
   * @param status ioredis status at the time
   */
  constructor(message: string, displayUrl: string, status: string) {
    super(message);
    this.name = 'RedisUnavailableError';
    this.displayUrl = displayUrl;
    this.status = status;
  }
}
