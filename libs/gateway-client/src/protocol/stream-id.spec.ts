import { compareStreamIds, isStreamId } from './stream-id';

describe('isStreamId', () => {
  it('accepts canonical stream ids', () => {
    for (const id of ['0-0', '0-1', '1712345678901-0', '18446744073709551615-18446744073709551615']) expect(isStreamId(id)).toBe(true);
  });

  it.each(['', '1', '1-', '-1', '01-0', '1-01', '1-0-0', 'a-b', '$', '>', ' 1-0', '18446744073709551616-0', 5])(
    'refuses %j',
    (id) => {
      expect(isStreamId(id)).toBe(false);
    },
  );
});

describe('compareStreamIds', () => {
  it('orders by milliseconds, then sequence, numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-0', '9-0')).toBeGreaterThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-10', '10-10')).toBe(0);
    expect(compareStreamIds('1712345678901-0', '1712345678900-99')).toBeGreaterThan(0);
  });
});
