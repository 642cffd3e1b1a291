import { SignJWT } from 'jose';
import { createJwtVerifier, TokenError, TokenErrorCode } from '@rebal/service-kit';
import { readApiToken } from './api-token';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const key = new TextEncoder().encode(SECRET);
const now = Math.floor(Date.now() / 1000);
const verifier = createJwtVerifier({ hs256Secret: SECRET });

/** An HS256 token for `sub`, valid for 10 minutes. */
function hs256(claims: Record<string, unknown> = {}, sub = 'alice'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(now + 600).sign(key);
}

async function read(token: Promise<string>) {
  return readApiToken(await verifier.verify(await token));
}

describe('readApiToken', () => {
  it('returns the subject and expiry of a valid token, without scopes when it grants none', async () => {
    expect(await read(hs256())).toEqual({ subject: 'alice', scopes: new Set() });
    expect((await verifier.verify(await hs256())).expiresAtMs).toBe((now + 600) * 1000);
  });

  it('returns the scopes of the scope claim and of an scp claim, and accepts a token without any', async () => {
    expect((await read(hs256({ scope: 'alerts:read  rules:write' }))).scopes).toEqual(new Set(['alerts:read', 'rules:write']));
    expect((await read(hs256({ scp: ['alerts:write'] }))).scopes).toEqual(new Set(['alerts:write']));
    expect((await read(hs256({ scope: 42 }))).scopes).toEqual(new Set());
  });

  it('refuses a sub longer than 195 characters, so user:<sub> fits the store', async () => {
    const error = await read(hs256({}, 'x'.repeat(196))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: TokenErrorCode.ClaimInvalid });
    expect((error as Error).message).toContain('"sub"');
    await expect(read(hs256({}, 'x'.repeat(195)))).resolves.toMatchObject({ subject: 'x'.repeat(195) });
  });
});
