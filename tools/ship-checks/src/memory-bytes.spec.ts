import { kubeQuantityBytes, redisMemoryBytes } from './memory-bytes';

describe('kubeQuantityBytes', () => {
  it('reads binary and decimal suffixes and plain numbers', () => {
    expect(kubeQuantityBytes('256Mi')).toBe(256 * 2 ** 20);
    expect(kubeQuantityBytes('1Gi')).toBe(2 ** 30);
    expect(kubeQuantityBytes('500M')).toBe(500e6);
    expect(kubeQuantityBytes(1024)).toBe(1024);
  });

  it('refuses what is not a memory quantity', () => {
    expect(() => kubeQuantityBytes('256MB')).toThrow(/not a memory quantity/);
  });
});

describe('redisMemoryBytes', () => {
  it('reads sizes as redis.conf does: mb is 2^20, m is 10^6, case-insensitive', () => {
    expect(redisMemoryBytes('256mb')).toBe(256 * 2 ** 20);
    expect(redisMemoryBytes('200m')).toBe(200e6);
    expect(redisMemoryBytes('1GB')).toBe(2 ** 30);
    expect(redisMemoryBytes('1048576')).toBe(2 ** 20);
  });

  it('refuses what Redis would not read', () => {
    expect(() => redisMemoryBytes('1Mi')).toThrow(/not a Redis memory size/);
  });
});
