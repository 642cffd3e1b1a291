/** A bad rate-limit policy or key option. Callers test `code`, not the message. */
export class RateLimitPolicyError extends Error {
  /** Stable code of every rate-limit policy error. */
  readonly code = 'ERR_RATE_LIMIT_POLICY';

  /** @param message what is wrong and what was expected */
  constructor(message: string) {
    super(message);
    this.name = 'RateLimitPolicyError';
  }
}
