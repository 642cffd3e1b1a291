import { backoffDelay } from './backoff-delay';

describe('backoffDelay', () => {
  it('doubles from baseMs and stops at maxMs, without jitter by default', () => {
    const backoff = { baseMs: 1000, maxMs: 300_000 };
    expect([0, 1, 2, 3, 8, 9].map((attempt) => backoffDelay(attempt, backoff))).toEqual([1000, 2000, 4000, 8000, 256_000, 300_000]);
    expect(backoffDelay(4999, backoff)).toBe(300_000);
  });

  it('treats an attempt below 0 as the first retry and never overflows on a very long outage', () => {
    expect(backoffDelay(-1, { baseMs: 50, maxMs: 1000 })).toBe(50);
    expect(backoffDelay(10_000, { baseMs: 100, maxMs: 5000, jitter: 'equal' }, () => 1)).toBe(5000);
  });

  it('keeps half of the delay with equal jitter', () => {
    const backoff = { baseMs: 100, maxMs: 5000, jitter: 'equal' } as const;
    expect(backoffDelay(0, backoff, () => 0)).toBe(50);
    expect(backoffDelay(19, backoff, () => 0)).toBe(2500);
    expect(backoffDelay(2, backoff, () => 0.5)).toBe(300);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(7, backoff)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2500);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });

  it('reaches both ends of [0, delay] with full jitter, in whole milliseconds spread over the range', () => {
    const backoff = { baseMs: 100, maxMs: 1000, jitter: 'full' } as const;
    expect(backoffDelay(2, backoff, () => 0)).toBe(0);
    expect(backoffDelay(2, backoff, () => 0.999999999)).toBe(400);
    expect(backoffDelay(19, backoff, () => 0.999999999)).toBe(1000);
    for (const attempt of [0, 1, 3, 7]) {
      const ceiling = backoffDelay(attempt, { ...backoff, jitter: 'none' });
      const delays = Array.from({ length: 2000 }, () => backoffDelay(attempt, backoff));
      for (const delay of delays) {
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
      expect(delays.some((delay) => delay < ceiling / 4)).toBe(true);
      expect(delays.some((delay) => delay > (ceiling * 3) / 4)).toBe(true);
    }
  });

  it('draws the given share of the delay', () => {
    expect(backoffDelay(5, { baseMs: 10, maxMs: 200, jitter: 0.25 }, () => 0)).toBe(150);
    expect(backoffDelay(5, { baseMs: 10, maxMs: 200, jitter: 0.25 }, () => 0.999)).toBe(200);
  });
});
