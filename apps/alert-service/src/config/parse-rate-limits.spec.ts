import { resolveRateLimitPolicy } from '../rules';
import { parseRateLimits } from './parse-rate-limits';

describe('parseRateLimits', () => {
  it('issue 11 suspected: an ALERT_RATE_LIMITS override of perMinute alone sets the burst to it, as burst defaults to perMinute', () => {
    expect(resolveRateLimitPolicy(parseRateLimits('{"S1": {"perMinute": 60}}')).S1).toEqual({ perMinute: 60, burst: 60, perDay: 200 });
    expect(resolveRateLimitPolicy(parseRateLimits('{"S3": {"perMinute": 6}}')).S3).toEqual({ perMinute: 6, burst: 6, perDay: 5000 });
  });

  it('keeps the defaults of the fields an override leaves out, and an explicit burst', () => {
    expect(resolveRateLimitPolicy(parseRateLimits('{"S1": {"perDay": 50}}')).S1).toEqual({ perMinute: 6, burst: 10, perDay: 50 });
    expect(resolveRateLimitPolicy(parseRateLimits('{"S2": {"perMinute": 60, "burst": 5}}')).S2).toEqual({ perMinute: 60, burst: 5, perDay: 1000 });
    expect(resolveRateLimitPolicy(parseRateLimits('{"S2": {"burst": 50}}')).S2).toEqual({ perMinute: 20, burst: 50, perDay: 1000 });
  });

  it('means the defaults when blank, and names the field of a bad value', () => {
    expect(parseRateLimits('  ')).toEqual({});
    expect(() => parseRateLimits('{"S1": {"perMinute": -1}}')).toThrow(/S1\.perMinute/);
    expect(() => parseRateLimits('{"S1": {"perHour": 1}}')).toThrow(/S1\.perHour: unknown field/);
  });
});
