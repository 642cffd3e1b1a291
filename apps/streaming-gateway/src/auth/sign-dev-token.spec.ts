import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AuthConfigError } from '@rebal/service-kit';
import { signDevToken } from './sign-dev-token';

const SECRET = 'a-development-secret-of-32-bytes!';

describe('signDevToken', () => {
  it('signs an HS256 JWT with sub, channels, iat and exp', async () => {
    const nowMs = 1_712_311_200_000;
    const token = await signDevToken({ secret: SECRET, subject: 'dev-user', channels: ['market_data', 'alerts:a-1'], nowMs, expiresInSec: 120 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ sub: 'dev-user', channels: ['market_data', 'alerts:a-1'], iat: 1_712_311_200, exp: 1_712_311_320 });
  });

  it('adds aud and iss when given', async () => {
    const token = await signDevToken({ secret: SECRET, subject: 'u', channels: [], audience: 'gw', issuer: 'dev' });
    expect(decodeJwt(token)).toMatchObject({ aud: 'gw', iss: 'dev' });
  });

  it('defaults to a one-hour lifetime', async () => {
    const claims = decodeJwt(await signDevToken({ secret: SECRET, subject: 'u', channels: [] }));
    expect((claims.exp as number) - (claims.iat as number)).toBe(3_600);
  });

  it.each([
    ['a short secret', { secret: 'short', subject: 'u', channels: [] }],
    ['an empty subject', { secret: SECRET, subject: '', channels: [] }],
    ['an unknown stream', { secret: SECRET, subject: 'u', channels: ['weather'] }],
    ['a malformed grant', { secret: SECRET, subject: 'u', channels: ['alerts:a b'] }],
    ['a zero lifetime', { secret: SECRET, subject: 'u', channels: [], expiresInSec: 0 }],
  ])('refuses %s', async (_what, options) => {
    await expect(signDevToken(options)).rejects.toThrow(AuthConfigError);
  });
});
