import { decodeCacheValue, encodeCacheValue } from './cache-codec';
import { CacheValueError } from './cache-errors';

describe('encodeCacheValue', () => {
  it('round-trips JSON values, null and falsy ones included', () => {
    for (const value of [null, 0, false, '', 'text', [1, 'a'], { a: { b: [true] } }]) {
      expect(decodeCacheValue(encodeCacheValue(value))).toEqual(value);
    }
  });

  it('refuses undefined with a typed error', () => {
    expect(() => encodeCacheValue(undefined)).toThrow(CacheValueError);
    expect(() => encodeCacheValue(undefined)).toThrow(expect.objectContaining({ code: 'ERR_CACHE_VALUE' }));
  });

  it('refuses functions, symbols, BigInts and cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const value of [() => 1, Symbol('s'), 10n, cyclic]) {
      expect(() => encodeCacheValue(value)).toThrow(CacheValueError);
    }
  });
});

describe('decodeCacheValue', () => {
  it('reads text that is not JSON as a miss', () => {
    expect(decodeCacheValue('not json')).toBeUndefined();
  });
});
