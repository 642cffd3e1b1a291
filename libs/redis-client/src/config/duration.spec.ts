import { formatDurationMs, parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it('reads every unit and a bare number of milliseconds', () => {
    expect(['250', '250ms', '1.5s', '2m', '1h', '1d', ' 5s ', '0'].map(parseDurationMs)).toEqual([250, 250, 1_500, 120_000, 3_600_000, 86_400_000, 5_000, 0]);
  });

  it('refuses anything else', () => {
    expect(['', 'soon', '-1s', '5 seconds', '1e3', 's'].map(parseDurationMs)).toEqual(Array(6).fill(undefined));
  });
});

describe('formatDurationMs', () => {
  it('writes the largest exact unit', () => {
    expect([5_000, 60_000, 7_200_000, 1_500].map(formatDurationMs)).toEqual(['5s', '1m', '2h', '1500ms']);
  });
});
