import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { HealthSnapshot } from '../status';
import { statusRoutes } from './status-routes';

describe('statusRoutes', () => {
  const servers: Server[] = [];
  const snapshot = { status: 'healthy', reason: 'all checks pass' } as HealthSnapshot;

  /** Serves the routes on a port of 127.0.0.1 and returns the status URL. */
  async function serve(latest: HealthSnapshot | undefined, origins: readonly string[]): Promise<string> {
    const app = express();
    statusRoutes(() => latest, origins)(app);
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/status`;
  }

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it("lets the console's origin (CORS_ORIGINS) read the status, and no other", async () => {
    const url = await serve(snapshot, ['http://127.0.0.1:8080']);
    const allowed = await fetch(url, { headers: { Origin: 'http://127.0.0.1:8080' } });
    expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('vary'), allowed.headers.get('cache-control')]).toEqual([
      200,
      'http://127.0.0.1:8080',
      'Origin',
      'no-store',
    ]);
    expect(await allowed.json()).toEqual(snapshot);
    const other = await fetch(url, { headers: { Origin: 'https://elsewhere.example' } });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([200, null]);
    const noOrigin = await fetch(url);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers every origin with * when CORS_ORIGINS is *, and none by default', async () => {
    const any = await fetch(await serve(snapshot, ['*']), { headers: { Origin: 'https://elsewhere.example' } });
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
    const none = await fetch(await serve(snapshot, []), { headers: { Origin: 'http://127.0.0.1:8080' } });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 no_snapshot before the first check, readable by an allowed origin', async () => {
    const response = await fetch(await serve(undefined, ['http://127.0.0.1:8080']), { headers: { Origin: 'http://127.0.0.1:8080' } });
    expect([response.status, response.headers.get('access-control-allow-origin')]).toEqual([503, 'http://127.0.0.1:8080']);
    expect(await response.json()).toMatchObject({ code: 'no_snapshot' });
  });
});
