import { reconnectDelay } from './reconnect-backoff';

describe('reconnectDelay', () => {
  it('doubles from 100 ms and stops growing at 5 s by default', () => {
    const highest = [1, 2, 3, 4, 5, 6, 7, 8, 50].map((attempt) => reconnectDelay(attempt, {}, () => 1));
    expect(highest).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('drops at most half of the delay for jitter', () => {
    expect(reconnectDelay(1, {}, () => 0)).toBe(50);
    expect(reconnectDelay(20, {}, () => 0)).toBe(2500);
    expect(reconnectDelay(3, {}, () => 0.5)).toBe(300);
  });

  it('spreads the delays of many clients across the jitter range', () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelay(8)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2500);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });

  it('takes its own base and cap', () => {
    expect([1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, { baseMs: 10, maxMs: 30 }, () => 1))).toEqual([10, 20, 30, 30]);
  });

  it('never overflows on a very long outage', () => {
    expect(reconnectDelay(10_000, {}, () => 1)).toBe(5000);
  });
});
