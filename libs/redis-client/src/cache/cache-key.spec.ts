import { CacheKeyError, CacheOptionsError } from './cache-errors';
import { assertCacheKey, assertCacheNamespace, cacheKey, cacheLockKey, MAX_CACHE_KEY_LENGTH } from './cache-key';

describe('cacheKey', () => {
  it('builds cache:<namespace>:<key>', () => {
    expect(cacheKey('prices', 'BTC')).toBe('cache:prices:BTC');
  });

  it('keeps colons inside the key', () => {
    expect(cacheKey('portfolio_v2', 'p:42:holdings')).toBe('cache:portfolio_v2:p:42:holdings');
  });

  it('builds a lock key that no namespace and key can collide with', () => {
    expect(cacheLockKey('prices', 'BTC')).toBe('cache-lock:prices:BTC');
    expect(cacheLockKey('prices', 'BTC').startsWith('cache:')).toBe(false);
  });

  it.each(['', 'Prices', 'pri ces', 'prices:eu', 'préstamo', '{prices}'])('rejects the namespace %p', (namespace) => {
    expect(() => cacheKey(namespace, 'k')).toThrow(CacheOptionsError);
  });

  it('rejects a namespace that is not a string', () => {
    expect(() => assertCacheNamespace(42)).toThrow(expect.objectContaining({ code: 'ERR_CACHE_OPTIONS' }));
  });

  it.each(['a', 'a-b_c-9', '0'])('accepts the namespace %p', (namespace) => {
    expect(() => assertCacheNamespace(namespace)).not.toThrow();
  });

  it('rejects an empty key, an overlong key and control characters', () => {
    expect(() => assertCacheKey('')).toThrow(CacheKeyError);
    expect(() => assertCacheKey('x'.repeat(MAX_CACHE_KEY_LENGTH + 1))).toThrow(CacheKeyError);
    expect(() => assertCacheKey('a\nb')).toThrow(expect.objectContaining({ code: 'ERR_CACHE_KEY' }));
    expect(() => assertCacheKey(undefined)).toThrow(CacheKeyError);
  });

  it('accepts a key of the maximum length with spaces and unicode', () => {
    expect(() => assertCacheKey('x'.repeat(MAX_CACHE_KEY_LENGTH))).not.toThrow();
    expect(() => assertCacheKey('ETH / EUR €')).not.toThrow();
  });
});
