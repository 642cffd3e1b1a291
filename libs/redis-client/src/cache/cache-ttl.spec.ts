import { CacheTtlError } from './cache-errors';
import { assertTtlSeconds } from './cache-ttl';

describe('assertTtlSeconds', () => {
  it.each([1, 300, 86_400 * 365])('accepts %p seconds', (ttl) => {
    expect(() => assertTtlSeconds(ttl)).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '10', undefined, null])('rejects %p', (ttl) => {
    expect(() => assertTtlSeconds(ttl)).toThrow(CacheTtlError);
  });

  it('names the offending option in its message and carries a stable code', () => {
    expect(() => assertTtlSeconds(0, 'defaultTtlSeconds')).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_TTL', message: expect.stringContaining('defaultTtlSeconds') }),
    );
  });
});
