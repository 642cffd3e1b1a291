import { PROTOCOL_DEFAULTS } from './protocol-defaults';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Tokens refilled per second (default `PROTOCOL_DEFAULTS.rateLimitPerSecond`, 20). */
  ratePerSecond?: number;
  /** Bucket capacity, the largest burst (default `PROTOCOL_DEFAULTS.rateLimitBurst`, 40). */
  burst?: number;
  /** Consecutive denials after which `close` is set (default `PROTOCOL_DEFAULTS.rateLimitCloseAfter`, 20). */
  closeAfterDenials?: number;
}

/** Outcome of {@link RateLimiter.take}. */
export type RateLimitDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** ms until `take` would succeed. */
      readonly retryAfterMs: number;
      /** True once `closeAfterDenials` consecutive takes were denied: close the connection with 4008. */
      readonly close: boolean;
    };

/** An option of `new RateLimiter` is out of range. */
export class RateLimiterOptionsError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_RATE_LIMITER_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'RateLimiterOptionsError';
  }
}

/**
 * A token bucket for one connection's client operations. Pure: the caller passes the time,
 * so it needs no timers and tests need no clock. Every inbound frame, valid or not, should
 * `take` one token; a denied frame is answered with `rate_limited` and not executed.
 */
export class RateLimiter {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly closeAfterDenials: number;
  private tokens: number;
  private lastMs: number;
  private denials = 0;

  constructor(options: RateLimiterOptions = {}) {
    const ratePerSecond = options.ratePerSecond ?? PROTOCOL_DEFAULTS.rateLimitPerSecond;
    const burst = options.burst ?? PROTOCOL_DEFAULTS.rateLimitBurst;
    const closeAfterDenials = options.closeAfterDenials ?? PROTOCOL_DEFAULTS.rateLimitCloseAfter;
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new RateLimiterOptionsError(`ratePerSecond must be a positive number (got ${String(ratePerSecond)})`);
    }
    if (!Number.isSafeInteger(burst) || burst < 1) throw new RateLimiterOptionsError(`burst must be a whole number >= 1 (got ${String(burst)})`);
    if (!Number.isSafeInteger(closeAfterDenials) || closeAfterDenials < 1) {
      throw new RateLimiterOptionsError(`closeAfterDenials must be a whole number >= 1 (got ${String(closeAfterDenials)})`);
    }
    this.ratePerMs = ratePerSecond / 1000;
    this.burst = burst;
    this.closeAfterDenials = closeAfterDenials;
    this.tokens = burst;
    // The bucket starts full, so the first refill (from time 0) is capped and changes nothing.
    this.lastMs = 0;
  }

  /** Takes one token at time `nowMs` (any monotonic ms clock, the same on every call) if the bucket holds one. */
  take(nowMs: number): RateLimitDecision {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.denials = 0;
      return { allowed: true };
    }
    this.denials += 1;
    const retryAfterMs = Math.ceil((1 - this.tokens) / this.ratePerMs);
    return { allowed: false, retryAfterMs, close: this.denials >= this.closeAfterDenials };
  }

  /** Tokens available at `nowMs` (fractional). */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  // A clock that goes backwards refills nothing rather than draining the bucket.
  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + (nowMs - this.lastMs) * this.ratePerMs);
      this.lastMs = nowMs;
    }
  }
}
