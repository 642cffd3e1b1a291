import { generateKeyPairSync } from 'node:crypto';
import express from 'express';
import { SignJWT } from 'jose';
import { createJwtVerifier, listen, type JwtVerifier, type ListeningServer } from '@rebal/service-kit';
import { apiErrorHandler } from '../api-errors';
import { bearerAuth } from './bearer-auth';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

async function serve(verifier: JwtVerifier): Promise<ListeningServer> {
  const app = express();
  app.use(bearerAuth(verifier));
  app.get('/who', (_req, res) => res.json({ actor: res.locals['actor'], scopes: [...(res.locals['scopes'] as Set<string>)] }));
  app.use(apiErrorHandler());
  return listen(app, 0, '127.0.0.1');
}

describe('bearerAuth', () => {
  let server: ListeningServer | undefined;
  afterEach(() => server?.close(0));

  it('sets the actor and scopes of a valid token', async () => {
    server = await serve(createJwtVerifier({ hs256Secret: SECRET }));
    const token = await new SignJWT({ scope: 'alerts:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const res = await fetch(`http://127.0.0.1:${server.port}/who`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ actor: 'user:alice', scopes: ['alerts:read'] });
  });

  it('answers 503 auth_unavailable with Retry-After, not 401, when the JWKS cannot be fetched', async () => {
    const keys = await listen((_req, res) => res.writeHead(500).end('down'), 0, '127.0.0.1');
    server = await serve(createJwtVerifier({ jwksUrl: `http://127.0.0.1:${keys.port}/jwks.json` }));
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setSubject('alice').setExpirationTime('1h').sign(signing);
    const res = await fetch(`http://127.0.0.1:${server.port}/who`, { headers: { authorization: `Bearer ${token}` } });
    await keys.close(0);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ code: 'auth_unavailable' });
  });
});
