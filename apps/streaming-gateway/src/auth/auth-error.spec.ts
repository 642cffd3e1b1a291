import { AuthErrorCode, closeCodeForAuthError, protocolErrorCodeFor } from './auth-error';

describe('protocolErrorCodeFor', () => {
  it('answers an expired token with token_expired', () => {
    expect(protocolErrorCodeFor(AuthErrorCode.TokenExpired)).toBe('token_expired');
  });

  it('answers an unreachable key set with unavailable', () => {
    expect(protocolErrorCodeFor(AuthErrorCode.KeyUnavailable)).toBe('unavailable');
  });

  it('answers every other refusal with auth_failed', () => {
    const others = Object.values(AuthErrorCode).filter((code) => code !== AuthErrorCode.TokenExpired && code !== AuthErrorCode.KeyUnavailable);
    expect(others.length).toBeGreaterThan(5);
    for (const code of others) expect(protocolErrorCodeFor(code)).toBe('auth_failed');
  });
});

describe('closeCodeForAuthError', () => {
  it('closes an expired first token with 4003, an unreachable key set with 1013 and anything else with 4001', () => {
    expect(closeCodeForAuthError(AuthErrorCode.TokenExpired)).toBe(4003);
    expect(closeCodeForAuthError(AuthErrorCode.KeyUnavailable)).toBe(1013);
    expect(closeCodeForAuthError(AuthErrorCode.SignatureInvalid)).toBe(4001);
    expect(closeCodeForAuthError(AuthErrorCode.ChannelsMissing)).toBe(4001);
  });
});
