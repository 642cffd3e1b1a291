import { alertFingerprint } from './alert-fingerprint';

describe('alertFingerprint', () => {
  it('is 16 hex characters and the same whatever the order of the labels', () => {
    const a = alertFingerprint({ rule: 'r1', kind: 'price_threshold', symbol: 'BTC' });
    const b = alertFingerprint({ symbol: 'BTC', rule: 'r1', kind: 'price_threshold' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });

  it('is the first 16 characters of the SHA-256 of the sorted label pairs', () => {
    // sha256('[["a","1"],["b","2"]]'), computed independently.
    expect(alertFingerprint({ b: '2', a: '1' })).toBe('5f13efef7cdd95e7');
  });

  it('differs when any label name or value differs, even with separators inside values', () => {
    const base = alertFingerprint({ rule: 'r1', symbol: 'BTC' });
    expect(alertFingerprint({ rule: 'r1', symbol: 'ETH' })).not.toBe(base);
    expect(alertFingerprint({ rule: 'r1', coin: 'BTC' })).not.toBe(base);
    expect(alertFingerprint({ a: 'x,b=y' })).not.toBe(alertFingerprint({ a: 'x', b: 'y' }));
  });
});
