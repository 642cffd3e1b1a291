import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { AuthConfigError } from './auth-config-error';
import { TokenError } from './token-error';
import { createTokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const key = new TextEncoder().encode(SECRET);
const now = Math.floor(Date.now() / 1000);

/** An HS256 token; `null` leaves `sub` or `exp` out. */
function hs256(claims: Record<string, unknown> = {}, sub: string | null = 'alice', exp: number | null = now + 600): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (sub !== null) jwt = jwt.setSubject(sub);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(key);
}

async function refusal(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe('createTokenVerifier', () => {
  const verifier = createTokenVerifier({ hs256Secret: SECRET });

  it('accepts a valid HS256 token and returns its subject and expiry', async () => {
    await expect(verifier.verify(await hs256())).resolves.toEqual({ subject: 'alice', expiresAtMs: (now + 600) * 1000, scopes: new Set() });
  });

  it('returns the scopes of the scope claim and of an scp claim, and accepts a token without any', async () => {
    expect((await verifier.verify(await hs256({ scope: 'alerts:read  rules:write' }))).scopes).toEqual(new Set(['alerts:read', 'rules:write']));
    expect((await verifier.verify(await hs256({ scp: ['alerts:write'] }))).scopes).toEqual(new Set(['alerts:write']));
    expect((await verifier.verify(await hs256({ scope: 42 }))).scopes).toEqual(new Set());
  });

  it('refuses expired tokens, tokens without exp or sub, and tokens signed with another key', async () => {
    expect((await refusal(verifier.verify(await hs256({}, 'alice', now - 60)))).code).toBe('ERR_TOKEN_EXPIRED');
    expect((await refusal(verifier.verify(await hs256({}, 'alice', null)))).code).toBe('ERR_TOKEN_INVALID');
    expect((await refusal(verifier.verify(await hs256({}, null)))).code).toBe('ERR_TOKEN_INVALID');
    expect((await refusal(verifier.verify(await hs256({}, 'x'.repeat(196))))).message).toContain('"sub"');
    const other = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(now + 60).sign(new TextEncoder().encode('y'.repeat(40)));
    expect((await refusal(verifier.verify(other))).code).toBe('ERR_TOKEN_INVALID');
    expect((await refusal(verifier.verify('not.a.jwt'))).code).toBe('ERR_TOKEN_INVALID');
  });

  it('checks audience and issuer when configured', async () => {
    const strict = createTokenVerifier({ hs256Secret: SECRET, audience: ['alert-api'], issuer: ['https://id.example'] });
    const good = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now + 60).setAudience('alert-api').setIssuer('https://id.example').sign(key);
    await expect(strict.verify(good)).resolves.toMatchObject({ subject: 'a' });
    expect((await refusal(strict.verify(await hs256()))).message).toContain('claim');
  });

  it('verifies ES256 with a public key and refuses an HS256 token forged with that key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const es = createTokenVerifier({ publicKeyPem: pem });
    expect(es.algorithm).toBe('ES256');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setSubject('bob').setExpirationTime(now + 60).sign(privateKey);
    await expect(es.verify(token)).resolves.toMatchObject({ subject: 'bob' });
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setExpirationTime(now + 60).sign(new TextEncoder().encode(pem));
    await refusal(es.verify(forged));
  });

  it('verifies RS256 with an RSA public key and refuses a token signed by another key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = createTokenVerifier({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(rs.algorithm).toBe('RS256');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('carol').setExpirationTime(now + 60).sign(privateKey);
    await expect(rs.verify(token)).resolves.toMatchObject({ subject: 'carol' });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await refusal(rs.verify(await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('carol').setExpirationTime(now + 60).sign(stranger)));
  });

  it('refuses unusable configurations with AuthConfigError, never quoting the secret', () => {
    expect(() => createTokenVerifier({})).toThrow(AuthConfigError);
    expect(() => createTokenVerifier({ hs256Secret: 'short-secret' })).toThrow(/at least 32 bytes/);
    expect(() => createTokenVerifier({ hs256Secret: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => createTokenVerifier({ publicKeyPem: 'nope' })).toThrow(/PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => createTokenVerifier({ publicKeyPem: rsa })).toThrow(/2048/);
  });
});
