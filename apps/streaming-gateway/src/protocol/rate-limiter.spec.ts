import { RateLimiter, RateLimiterOptionsError } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a full burst at once and denies the next operation', () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3 });
    const bucket = limiter.fullBucket();
    const now = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take(bucket, now).allowed)).toEqual([true, true, true]);
    expect(limiter.take(bucket, now)).toEqual({ allowed: false, retryAfterMs: 100, close: false });
  });

  it('refills at the configured rate', () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2 });
    const bucket = limiter.fullBucket();
    limiter.take(bucket, 0);
    limiter.take(bucket, 0);
    expect(limiter.take(bucket, 50)).toMatchObject({ allowed: false, retryAfterMs: 50 });
    expect(limiter.take(bucket, 100).allowed).toBe(true);
    expect(limiter.take(bucket, 100).allowed).toBe(false);
  });

  it('never holds more than the burst', () => {
    const limiter = new RateLimiter({ ratePerSecond: 100, burst: 5 });
    const bucket = limiter.fullBucket();
    expect(limiter.available(bucket, 3_600_000)).toBe(5);
  });

  it('asks to close after the configured number of consecutive denials', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, closeAfterDenials: 3 });
    const bucket = limiter.fullBucket();
    limiter.take(bucket, 0);
    const decisions = [1, 2, 3].map(() => limiter.take(bucket, 0));
    expect(decisions.map((d) => !d.allowed && d.close)).toEqual([false, false, true]);
  });

  it('resets the denial count after an allowed operation', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, closeAfterDenials: 2 });
    const bucket = limiter.fullBucket();
    limiter.take(bucket, 0);
    expect(limiter.take(bucket, 0)).toMatchObject({ allowed: false, close: false });
    expect(limiter.take(bucket, 1_000).allowed).toBe(true);
    expect(limiter.take(bucket, 1_000)).toMatchObject({ allowed: false, close: false });
  });

  it('refills nothing when the clock goes backwards', () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 });
    const bucket = limiter.fullBucket();
    limiter.take(bucket, 10_000);
    expect(limiter.take(bucket, 5_000).allowed).toBe(false);
    expect(limiter.take(bucket, 10_500).allowed).toBe(false);
    expect(limiter.take(bucket, 11_000).allowed).toBe(true);
  });

  it('uses the protocol defaults: 40 at once, then 20 per second', () => {
    const limiter = new RateLimiter();
    const bucket = limiter.fullBucket();
    let allowed = 0;
    while (limiter.take(bucket, 0).allowed) allowed += 1;
    expect(allowed).toBe(40);
    expect(limiter.take(bucket, 50).allowed).toBe(true);
  });

  it.each([
    [{ ratePerSecond: 0 }],
    [{ ratePerSecond: Number.NaN }],
    [{ burst: 0 }],
    [{ burst: 1.5 }],
    [{ closeAfterDenials: 0 }],
  ])('refuses out-of-range options %j', (options) => {
    expect(() => new RateLimiter(options)).toThrow(RateLimiterOptionsError);
  });
});
