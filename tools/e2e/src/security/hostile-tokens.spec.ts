import { randomBytes } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { hostileTokens } from './hostile-tokens';

describe('hostileTokens', () => {
  const secret = randomBytes(32).toString('hex');
  const key = new TextEncoder().encode(secret);
  /** How the services verify (HS256 only, exp and sub required): the error each token gets, or 'accepted'. */
  const verdict = async (token: string) => {
    try {
      await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: 5 });
      return 'accepted';
    } catch (error) {
      return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
    }
  };

  it('gives tokens that a verifier like the services refuses, each for the documented reason', async () => {
    const tokens = await hostileTokens({ secret });
    expect(tokens.length).toBeGreaterThanOrEqual(10);
    for (const token of tokens) expect({ name: token.name, verdict: await verdict(token.token) }).toEqual({ name: token.name, verdict: token.verdict });
  });

  it('names each token once and asks for every channel, so an accepted one would read everything', async () => {
    const tokens = await hostileTokens({ secret, subject: 'someone' });
    expect(new Set(tokens.map((token) => token.name)).size).toBe(tokens.length);
    const decoded = tokens.filter((token) => token.name === 'alg-none').map((token) => JSON.parse(Buffer.from(token.token.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>);
    expect(decoded[0]).toEqual(expect.objectContaining({ sub: 'someone', channels: ['*'] }));
  });
});
