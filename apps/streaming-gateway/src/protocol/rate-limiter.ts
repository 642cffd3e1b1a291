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
 * A connection's token bucket: what {@link RateLimiter} keeps per connection, three plain
 * fields (the connection itself carries them, so a connection costs no limiter object).
 */
export interface TokenBucket {
  /** Tokens left (fractional). */
  tokens: number;
  /** When `tokens` was last refilled, on the caller's monotonic ms clock. */
  stampMs: number;
  /** Consecutive denied takes. */
  denials: number;
}

const ALLOWED: RateLimitDecision = { allowed: true };

/**
 * The token bucket policy of client operations, shared by every connection of a gateway;
 * each connection holds only its {@link TokenBucket}. Pure: the caller passes the time, so it
 * needs no timers and tests need no clock. Every inbound frame, valid or not, should `take`
 * one token; a denied frame is answered with `rate_limited` and not executed.
 */
export class RateLimiter {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly closeAfterDenials: number;

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
  }

  /** A full bucket. The first refill (from time 0) is capped, so it changes nothing. */
  fullBucket(): TokenBucket {
    return { tokens: this.burst, stampMs: 0, denials: 0 };
  }

  /** Takes one token from `bucket` at time `nowMs` (any monotonic ms clock, the same on every call) if it holds one. */
  take(bucket: TokenBucket, nowMs: number): RateLimitDecision {
    this.refill(bucket, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.denials = 0;
      return ALLOWED;
    }
    bucket.denials += 1;
    const retryAfterMs = Math.ceil((1 - bucket.tokens) / this.ratePerMs);
    return { allowed: false, retryAfterMs, close: bucket.denials >= this.closeAfterDenials };
  }

  /** Tokens available in `bucket` at `nowMs` (fractional). */
  available(bucket: TokenBucket, nowMs: number): number {
    this.refill(bucket, nowMs);
    return bucket.tokens;
  }

  // A clock that goes backwards refills nothing rather than draining the bucket.
  private refill(bucket: TokenBucket, nowMs: number): void {
    if (nowMs > bucket.stampMs) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (nowMs - bucket.stampMs) * this.ratePerMs);
      bucket.stampMs = nowMs;
    }
  }
}
