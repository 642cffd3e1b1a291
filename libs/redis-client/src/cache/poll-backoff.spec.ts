import { FIRST_POLL_DELAY_MS, MAX_POLL_DELAY_MS, pollDelayMs } from './poll-backoff';

describe('pollDelayMs', () => {
  const noJitter = () => 0;

  it('doubles from the first delay up to the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5, 50].map((attempt) => pollDelayMs(attempt, 60_000, noJitter));
    expect(delays).toEqual([FIRST_POLL_DELAY_MS, 20, 40, 80, 160, MAX_POLL_DELAY_MS, MAX_POLL_DELAY_MS]);
  });

  it('shortens a delay by at most a quarter with jitter', () => {
    expect(pollDelayMs(5, 60_000, () => 0.999)).toBeGreaterThanOrEqual(MAX_POLL_DELAY_MS * 0.75);
    expect(pollDelayMs(5, 60_000, () => 0.999)).toBeLessThan(MAX_POLL_DELAY_MS);
  });

  it('never waits past what is left of the wait', () => {
    expect(pollDelayMs(10, 7, noJitter)).toBe(7);
    expect(pollDelayMs(10, -5, noJitter)).toBe(0);
  });
});
