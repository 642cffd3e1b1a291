import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import { AuthConfigError } from './auth-config-error';
import { createJwtVerifier } from './jwt-verifier';
import { TokenError, TokenErrorCode } from './token-error';

const SECRET = 'a-development-secret-of-32-bytes!';
const NOW_MS = Date.UTC(2024, 3, 5, 10, 0, 0);
const NOW_SEC = NOW_MS / 1000;

function sign(claims: JWTPayload, key: KeyObject | Uint8Array, alg: string, kid?: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) }).sign(key);
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', exp: NOW_SEC + 600, iat: NOW_SEC, ...overrides };
}

function hsKey(secret = SECRET): Uint8Array {
  return new TextEncoder().encode(secret);
}

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('createJwtVerifier', () => {
  describe('with an HS256 secret', () => {
    const verifier = createJwtVerifier({ hs256Secret: SECRET, now: () => NOW_MS });

    it('returns the subject, the expiry, the end of acceptance and the claims of a valid token', async () => {
      const verified = await verifier.verify(await sign(claims({ scope: 'alerts:read' }), hsKey(), 'HS256'));
      expect(verified).toEqual({
        subject: 'user-1',
        expiresAtMs: (NOW_SEC + 600) * 1000,
        acceptedUntilMs: (NOW_SEC + 600 + 5) * 1000,
        claims: { sub: 'user-1', exp: NOW_SEC + 600, iat: NOW_SEC, scope: 'alerts:read' },
      });
      expect(verifier.algorithms).toEqual(['HS256']);
    });

    it('refuses a token signed with another secret', async () => {
      const token = await sign(claims(), hsKey('another-secret-that-is-32-bytes!!'), 'HS256');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.SignatureInvalid);
    });

    it('refuses an expired token', async () => {
      const token = await sign(claims({ exp: NOW_SEC - 60 }), hsKey(), 'HS256');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.TokenExpired);
    });

    it('accepts a token expired by less than the clock tolerance and ends it at exp plus the tolerance', async () => {
      const token = await sign(claims({ exp: NOW_SEC - 3 }), hsKey(), 'HS256');
      await expect(verifier.verify(token)).resolves.toMatchObject({ acceptedUntilMs: (NOW_SEC + 2) * 1000 });
    });

    it('refuses a token that is not valid yet', async () => {
      const token = await sign(claims({ nbf: NOW_SEC + 60 }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error.code).toBe(TokenErrorCode.ClaimInvalid);
      expect(error.message).toContain('"nbf"');
    });

    it('refuses a token without exp', async () => {
      const token = await sign(claims({ exp: undefined }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error).toMatchObject({ code: TokenErrorCode.ClaimInvalid, message: 'the "exp" claim is missing' });
    });

    it('refuses a token without sub, or with an empty one', async () => {
      for (const sub of [undefined, '']) {
        const token = await sign(claims({ sub }), hsKey(), 'HS256');
        expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.ClaimInvalid);
      }
    });

    it.each([
      ['garbage', 'not-a-jwt'],
      ['an empty string', ''],
      ['three parts that are not base64 JSON', 'a.b.c'],
      ['dots only', 'not.a.jwt'],
    ])('refuses %s as malformed', async (_what, token) => {
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.TokenMalformed);
    });

    it('refuses a token longer than the limit as malformed', async () => {
      const token = await sign(claims({ pad: 'x'.repeat(20_000) }), hsKey(), 'HS256');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.TokenMalformed);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const token = `${encode({ alg: 'none' })}.${encode(claims())}.`;
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.AlgorithmNotAllowed);
    });

    it('never puts the token in the error message', async () => {
      const token = await sign(claims({ exp: NOW_SEC - 60 }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(token.split('.')[1]);
    });
  });

  describe('audience and issuer checks', () => {
    const verifier = createJwtVerifier({ hs256Secret: SECRET, audience: 'rebal-gateway', issuer: ['https://auth.rebal.test'], now: () => NOW_MS });

    it('accepts a token for the configured audience from the configured issuer', async () => {
      const token = await sign(claims({ aud: ['other', 'rebal-gateway'], iss: 'https://auth.rebal.test' }), hsKey(), 'HS256');
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('refuses a token for another audience', async () => {
      const token = await sign(claims({ aud: 'billing', iss: 'https://auth.rebal.test' }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error).toMatchObject({ code: TokenErrorCode.ClaimInvalid, message: 'the "aud" claim is invalid' });
    });

    it('refuses a token without an audience, naming the claim', async () => {
      const token = await sign(claims({ iss: 'https://auth.rebal.test' }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error.code).toBe(TokenErrorCode.ClaimInvalid);
      expect(error.message).toContain('claim');
    });

    it('refuses a token from another issuer', async () => {
      const token = await sign(claims({ aud: 'rebal-gateway', iss: 'https://evil.test' }), hsKey(), 'HS256');
      const error = await rejection(verifier.verify(token));
      expect(error).toMatchObject({ code: TokenErrorCode.ClaimInvalid, message: 'the "iss" claim is invalid' });
    });
  });

  describe('with a public key PEM', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

    it('verifies an RS256 token with an RSA public key', async () => {
      const verifier = createJwtVerifier({ publicKeyPem: pem(rsa.publicKey), now: () => NOW_MS });
      expect(verifier.algorithms).toEqual(['RS256']);
      const token = await sign(claims(), rsa.privateKey, 'RS256');
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('refuses an RS256 token signed by another key pair', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const verifier = createJwtVerifier({ publicKeyPem: pem(rsa.publicKey), now: () => NOW_MS });
      const token = await sign(claims(), other.privateKey, 'RS256');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.SignatureInvalid);
    });

    it('refuses an HS256 token against an RSA key (algorithm confusion)', async () => {
      const verifier = createJwtVerifier({ publicKeyPem: pem(rsa.publicKey), now: () => NOW_MS });
      const token = await sign(claims(), new TextEncoder().encode(pem(rsa.publicKey)), 'HS256');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.AlgorithmNotAllowed);
    });

    it('verifies an ES256 token with an EC P-256 public key and refuses an HS256 token forged with that key', async () => {
      const verifier = createJwtVerifier({ publicKeyPem: pem(ec.publicKey), now: () => NOW_MS });
      expect(verifier.algorithms).toEqual(['ES256']);
      const token = await sign(claims(), ec.privateKey, 'ES256');
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
      await rejection(verifier.verify(await sign(claims(), new TextEncoder().encode(pem(ec.publicKey)), 'HS256')));
    });
  });

  describe('with a JWKS URL', () => {
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    let server: Server;
    let baseUrl: string;
    let requests = 0;

    beforeAll(async () => {
      const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'ES256', use: 'sig' };
      server = createServer((request, response) => {
        requests += 1;
        if (request.url === '/jwks.json') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
        } else {
          response.writeHead(500).end('down');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('verifies a token signed by a key of the set, fetching the set once', async () => {
      const verifier = createJwtVerifier({ jwksUrl: `${baseUrl}/jwks.json`, now: () => NOW_MS });
      const token = await sign(claims(), signing.privateKey, 'ES256', 'key-1');
      const before = requests;
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
      expect(requests - before).toBe(1);
    });

    it('refuses a token whose kid is not in the set', async () => {
      const verifier = createJwtVerifier({ jwksUrl: `${baseUrl}/jwks.json`, now: () => NOW_MS });
      const token = await sign(claims(), signing.privateKey, 'ES256', 'key-unknown');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.KeyNotFound);
    });

    it('reports an unreachable key set as unavailable, not as a bad token', async () => {
      const verifier = createJwtVerifier({ jwksUrl: `${baseUrl}/broken.json`, now: () => NOW_MS });
      const token = await sign(claims(), signing.privateKey, 'ES256', 'key-1');
      expect((await rejection(verifier.verify(token))).code).toBe(TokenErrorCode.KeyUnavailable);
    });
  });

  describe('configuration', () => {
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;

    it.each([
      ['no key at all', {}],
      ['two keys', { hs256Secret: SECRET, publicKeyPem: rsaPem }],
      ['a secret shorter than 32 bytes', { hs256Secret: 'short' }],
      ['a PEM that is not a key', { publicKeyPem: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }],
      [
        'an EC key on another curve',
        { publicKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }) as string },
      ],
      [
        'an RSA key below 2048 bits',
        { publicKeyPem: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string },
      ],
      ['a JWKS URL that is not a URL', { jwksUrl: 'not a url' }],
      ['a JWKS URL that is not http', { jwksUrl: 'file:///etc/jwks.json' }],
      ['a negative clock tolerance', { hs256Secret: SECRET, clockToleranceSec: -1 }],
      ['an empty audience list', { hs256Secret: SECRET, audience: [] }],
    ])('refuses %s', (_what, options) => {
      expect(() => createJwtVerifier(options)).toThrow(AuthConfigError);
    });

    it('says what is wrong, never quoting the secret', () => {
      expect(() => createJwtVerifier({ hs256Secret: 'short-secret' })).toThrow(/at least 32 bytes/);
      expect(() => createJwtVerifier({ hs256Secret: 'short-secret' })).not.toThrow(/short-secret/);
      expect(() => createJwtVerifier({ publicKeyPem: 'nope' })).toThrow(/PEM/);
      const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(() => createJwtVerifier({ publicKeyPem: rsa1024 })).toThrow(/2048/);
    });

    it('uses the real clock by default', async () => {
      const verifier = createJwtVerifier({ hs256Secret: SECRET, clockToleranceSec: 0 });
      const now = Math.floor(Date.now() / 1000);
      const verified = await verifier.verify(await sign({ sub: 'u', iat: now, exp: now + 60 }, hsKey(), 'HS256'));
      expect(verified.acceptedUntilMs).toBeGreaterThan(Date.now());
      expect(verified.acceptedUntilMs).toBeLessThanOrEqual(Date.now() + 61_000);
    });
  });
});
