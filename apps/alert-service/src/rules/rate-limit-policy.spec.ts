import {
  DEFAULT_RATE_LIMIT_POLICY,
  decideRateLimit,
  rateLimitKeys,
  resolveRateLimitPolicy,
  type RateLimitCounters,
} from './rate-limit-policy';
import { RateLimitPolicyError } from './rate-limit-policy-error';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('decideRateLimit', () => {
  it('lets a burst through from a fresh bucket, then refuses until a token refills', () => {
    const policy = resolveRateLimitPolicy({ S1: { perMinute: 6, burst: 3, perDay: 100 } });
    let counters: RateLimitCounters | undefined;
    const decisions = [];
    for (let i = 0; i < 4; i += 1) {
      const decision = decideRateLimit('S1', counters, NOW, policy);
      decisions.push(decision.allowed);
      counters = decision.next;
    }
    expect(decisions).toEqual([true, true, true, false]);
    const refused = decideRateLimit('S1', counters, NOW, policy);
    expect(refused).toMatchObject({ allowed: false, reason: 'burst', retryAfterMs: 10_000 });
    expect(decideRateLimit('S1', counters, NOW + 9_999, policy).allowed).toBe(false);
    expect(decideRateLimit('S1', counters, NOW + 10_000, policy)).toMatchObject({ allowed: true, next: { dayCount: 4 } });
  });

  it('refuses once the day budget is spent, until the next UTC day, without consuming tokens', () => {
    const decision = decideRateLimit('S2', { tokens: 5, updatedAtMs: NOW, dayCount: DEFAULT_RATE_LIMIT_POLICY.S2.perDay }, NOW);
    expect(decision).toMatchObject({ allowed: false, reason: 'daily_budget', retryAfterMs: 12 * 3_600_000 });
    expect(decision.next).toEqual({ tokens: 5, updatedAtMs: NOW, dayCount: 1000 });
  });

  it('never refills past the burst capacity, and refills nothing when the clock goes backwards', () => {
    const full = decideRateLimit('S3', { tokens: 1, updatedAtMs: NOW - 3_600_000, dayCount: 0 }, NOW);
    expect(full.next.tokens).toBe(99); // capacity 100, one consumed
    const skewed = decideRateLimit('S3', { tokens: 0.5, updatedAtMs: NOW + 60_000, dayCount: 0 }, NOW);
    expect(skewed).toMatchObject({ allowed: false, reason: 'burst', next: { tokens: 0.5 } });
  });

  it('issue 11 item 23: never moves updatedAtMs backwards, so replicas 60 s apart refill only the time that passed', () => {
    let counters: RateLimitCounters | undefined;
    let allowed = 0;
    for (let i = 0; i < 40; i += 1) {
      const decision = decideRateLimit('S1', counters, NOW + (i % 2) * 60_000);
      counters = decision.next;
      if (decision.allowed) allowed += 1;
    }
    // Burst 10, plus 6 per minute over the 60 s the clocks span.
    expect(allowed).toBeLessThanOrEqual(16);
    expect(decideRateLimit('S1', { tokens: 3, updatedAtMs: NOW + 60_000, dayCount: 0 }, NOW).next).toEqual({ tokens: 2, updatedAtMs: NOW + 60_000, dayCount: 1 });
  });

  it('gives critical alerts the largest budget by default', () => {
    const { S1, S2, S3 } = DEFAULT_RATE_LIMIT_POLICY;
    expect(S1.perMinute < S2.perMinute && S2.perMinute < S3.perMinute).toBe(true);
    expect(S1.perDay < S2.perDay && S2.perDay < S3.perDay).toBe(true);
  });
});

describe('resolveRateLimitPolicy', () => {
  it('merges overrides into the defaults', () => {
    expect(resolveRateLimitPolicy({ S3: { perDay: 10 } }).S3).toEqual({ perMinute: 60, burst: 100, perDay: 10 });
  });

  it('rejects a budget that is not a positive number, naming it', () => {
    expect(() => resolveRateLimitPolicy({ S2: { perMinute: 0 } })).toThrow(RateLimitPolicyError);
    expect(() => resolveRateLimitPolicy({ S1: { perDay: Number.NaN } })).toThrow(/S1\.perDay/);
  });
});

describe('rateLimitKeys', () => {
  it('names the bucket and the UTC day counter inside the alerts hash slot', () => {
    expect(rateLimitKeys('S2', NOW)).toEqual({
      bucketKey: '{alerts}:ratelimit:global:S2:bucket',
      dayKey: '{alerts}:ratelimit:global:S2:day:20250301',
      dayKeyTtlSeconds: 172_800,
    });
    const keys = rateLimitKeys('S3', Date.parse('2025-03-01T23:59:59Z'), { scope: 'rule:btc-above', alertsStreamKey: 'staging:alerts' });
    expect(keys.dayKey).toBe('{staging:alerts}:ratelimit:rule:btc-above:S3:day:20250301');
  });

  it('rejects a scope that would break the key', () => {
    expect(() => rateLimitKeys('S1', NOW, { scope: 'a{b}' })).toThrow(expect.objectContaining({ code: 'ERR_RATE_LIMIT_POLICY' }));
    expect(() => rateLimitKeys('S1', NOW, { scope: '' })).toThrow(RateLimitPolicyError);
  });
});
