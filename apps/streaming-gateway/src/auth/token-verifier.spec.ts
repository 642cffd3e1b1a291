import { SignJWT, type JWTPayload } from 'jose';
import { AuthConfigError, TokenError } from '@rebal/service-kit';
import { AuthErrorCode } from './auth-error';
import { signDevToken } from './sign-dev-token';
import { createTokenVerifier } from './token-verifier';

// The checks of the token itself (keys, algorithms, exp, nbf, aud, iss, JWKS) are the shared
// verifier's: libs/service-kit/src/auth/jwt-verifier.spec.ts. Here: the channels claim.
const SECRET = 'a-development-secret-of-32-bytes!';
const NOW_MS = Date.UTC(2024, 3, 5, 10, 0, 0);
const NOW_SEC = NOW_MS / 1000;

function sign(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', exp: NOW_SEC + 600, iat: NOW_SEC, channels: ['market_data:*', 'alerts'], ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<TokenError<AuthErrorCode>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error as TokenError<AuthErrorCode>;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('createTokenVerifier', () => {
  const verifier = createTokenVerifier({ hs256Secret: SECRET, now: () => NOW_MS });

  it('returns the subject, grants and expiry of a valid token', async () => {
    const verified = await verifier.verify(await sign(claims()));
    expect(verified.subject).toBe('user-1');
    expect(verified.channels.map((grant) => grant.name)).toEqual(['market_data:*', 'alerts']);
    expect(verified.channels[0]).toEqual({ kind: 'any_subject', name: 'market_data:*', stream: 'market_data' });
    expect(verified.expiresAtMs).toBe((NOW_SEC + 600 + 5) * 1000);
    expect(verified.ignoredGrants).toEqual([]);
    expect(verifier.algorithms).toEqual(['HS256']);
  });

  it('accepts a token made by signDevToken', async () => {
    const token = await signDevToken({ secret: SECRET, subject: 'dev', channels: ['*'], nowMs: NOW_MS });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'dev', channels: [{ kind: 'all', name: '*' }] });
  });

  it('refuses what the shared verifier refuses, e.g. an expired token', async () => {
    expect(await rejection(verifier.verify(await sign(claims({ exp: NOW_SEC - 60 }))))).toMatchObject({ code: AuthErrorCode.TokenExpired });
  });

  it('refuses a token without the channels claim', async () => {
    expect((await rejection(verifier.verify(await sign(claims({ channels: undefined }))))).code).toBe(AuthErrorCode.ChannelsMissing);
  });

  it('refuses a channels claim that is not an array of strings', async () => {
    for (const channels of ['alerts', [1], { alerts: true }]) {
      expect((await rejection(verifier.verify(await sign(claims({ channels }))))).code).toBe(AuthErrorCode.ChannelsInvalid);
    }
  });

  it('ignores and reports grants it cannot read, keeping the others, without repeats', async () => {
    const verified = await verifier.verify(await sign(claims({ channels: ['alerts', 'weather', 'alerts:', 'alerts', 'risk_events:svc'] })));
    expect(verified.channels.map((grant) => grant.name)).toEqual(['alerts', 'risk_events:svc']);
    expect(verified.ignoredGrants).toEqual(['weather', 'alerts:']);
  });

  it('accepts an empty channels claim as granting nothing', async () => {
    await expect(verifier.verify(await sign(claims({ channels: [] })))).resolves.toMatchObject({ channels: [], ignoredGrants: [] });
  });

  it('refuses an empty channels claim name', () => {
    expect(() => createTokenVerifier({ hs256Secret: SECRET, channelsClaim: '' })).toThrow(AuthConfigError);
  });

  it('reads the grants from a configured claim name', async () => {
    const named = createTokenVerifier({ hs256Secret: SECRET, channelsClaim: 'https://rebal.test/channels', now: () => NOW_MS });
    const token = await signDevToken({ secret: SECRET, subject: 'u', channels: ['alerts'], channelsClaim: 'https://rebal.test/channels', nowMs: NOW_MS });
    await expect(named.verify(token)).resolves.toMatchObject({ channels: [{ name: 'alerts' }] });
  });
});
