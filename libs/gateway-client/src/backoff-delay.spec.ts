import { backoffDelay } from './backoff-delay';

describe('backoffDelay', () => {
  const options = { baseMs: 500, maxMs: 30_000, jitter: 'full' } as const;

  it('doubles the cap with every attempt and stops at maxMs', () => {
    const caps = [0, 1, 2, 3, 5, 6, 7, 50].map((attempt) => backoffDelay(attempt, { ...options, jitter: 'none' }));
    expect(caps).toEqual([500, 1_000, 2_000, 4_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('picks a uniformly random delay below the cap with full jitter', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, options, () => 0.999999)).toBe(3_999);
  });
});
