import { isCorsOriginAllowed, parseCorsOrigins } from './cors-origins';

describe('parseCorsOrigins', () => {
  it('reads a comma-separated list of origins, or *', () => {
    expect(parseCorsOrigins(' https://app.example.com, http://localhost:8080 ,')).toEqual(['https://app.example.com', 'http://localhost:8080']);
    expect(parseCorsOrigins('*')).toEqual(['*']);
    expect(parseCorsOrigins('')).toEqual([]);
  });

  it('refuses an entry that is not exactly an origin, naming it', () => {
    for (const bad of ['http://localhost:8080/', 'https://app.example.com/dashboard', 'app.example.com', 'ftp://files.example.com', 'https://APP.example.com']) {
      expect(() => parseCorsOrigins(`http://ok.example,${bad}`)).toThrow(`"${bad}" is not an origin`);
    }
  });
});

describe('isCorsOriginAllowed', () => {
  it('allows an exact match, or any origin with *', () => {
    expect(isCorsOriginAllowed(['https://app.example.com'], 'https://app.example.com')).toBe(true);
    expect(isCorsOriginAllowed(['https://app.example.com'], 'https://app.example.com:443')).toBe(false);
    expect(isCorsOriginAllowed(['https://app.example.com'], 'http://app.example.com')).toBe(false);
    expect(isCorsOriginAllowed(['*'], 'null')).toBe(true);
    expect(isCorsOriginAllowed([], 'https://app.example.com')).toBe(false);
  });
});
