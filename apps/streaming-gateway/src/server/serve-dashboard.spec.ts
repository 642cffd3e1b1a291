import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@rebal/redis-client';
import express from 'express';
import { serveDashboard } from './serve-dashboard';

describe('serveDashboard', () => {
  let dir: string;
  const servers: Server[] = [];

  /** Serves the console with `alertApiUrl` (and `healthApiUrl`) on a port of 127.0.0.1 and returns its base URL. */
  async function serve(alertApiUrl: string | undefined, healthApiUrl?: string): Promise<string> {
    const app = express();
    serveDashboard(app, { dir, alertApiUrl, healthApiUrl }, silentLogger());
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'serve-dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the build at /', async () => {
    const response = await fetch(`${await serve(undefined)}/`);
    expect([response.status, await response.text()]).toEqual([200, '<!doctype html><title>dashboard</title>']);
  });

  it('issue 11 item 30: serves the alert API URL (ALERT_API_URL) to the dashboard at /dashboard-config.json, never cached', async () => {
    const response = await fetch(`${await serve('/api/v1')}/dashboard-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ alertApi: '/api/v1' });
    const unset = await fetch(`${await serve(undefined)}/dashboard-config.json`);
    expect([unset.status, await unset.json()]).toEqual([200, {}]);
  });

  it("serves the health monitor's URL (HEALTH_API_URL) beside the alert API's, for the console's status on load", async () => {
    const response = await fetch(`${await serve('/api/v1', 'http://127.0.0.1:8082/api/v1')}/dashboard-config.json`);
    expect(await response.json()).toEqual({ alertApi: '/api/v1', healthApi: 'http://127.0.0.1:8082/api/v1' });
  });
});
