// The console as the prod overlay deploys it: the built gateway and alert service run as
// processes on 127.0.0.1 with the settings the rendered manifests give them (CORS_ORIGINS,
// ALERT_API_URL), behind a proxy that routes by the rendered Ingress's paths, on a real Redis.
// A browser on the Ingress's host calls what the page would call; a page elsewhere is refused.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { spawnWatchdog } from '@rebal/service-kit';
import { SignJWT } from 'jose';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import WebSocket from 'ws';
import { IngressProxy } from './ingress-proxy';
import { named, objectsOf } from './manifest-objects';
import { REPO_ROOT } from './repo-root';

/** The variables of a Deployment's container that this test carries over (the rest is Kubernetes': ports, probes, pod names). */
const CARRIED: Readonly<Record<string, readonly string[]>> = {
  'streaming-gateway': ['CORS_ORIGINS', 'ALERT_API_URL'],
  'alert-service': ['CORS_ORIGINS'],
};
const OTHER_ORIGIN = 'https://elsewhere.example';

/** A built app running as a child process on a port of 127.0.0.1. */
interface RunningApp {
  readonly port: number;
  readonly child: ChildProcess;
  output: string;
}

/** The literal settings `CARRIED` names, from the rendered prod Deployment of `app`. */
function deployedEnv(app: string): Record<string, string> {
  const deployment = named<IDeployment>(objectsOf('prod'), 'Deployment', app);
  const env = deployment.spec?.template.spec?.containers.find((container) => container.name === app)?.env ?? [];
  return Object.fromEntries((CARRIED[app] ?? []).map((name) => [name, env.find((variable) => variable.name === name)?.value ?? '']));
}

/** Builds `app` as the images do and copies the build under `<repo>/tmp` (npm packages resolve from the repository), out of reach of other builds. */
function buildSnapshot(app: string, into: string): string {
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-app.mjs'), app], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`building ${app} failed: ${build.stderr || build.stdout}`);
  const dir = join(into, app);
  cpSync(join(REPO_ROOT, 'dist/apps', app), dir, { recursive: true });
  return dir;
}

/** Builds the console the gateway's image serves (`nx run console:build`'s script) into `<into>/console`. */
function buildConsoleInto(into: string): string {
  const dir = join(into, 'console');
  const build = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(REPO_ROOT, 'apps/console/build/build-console.ts'), dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
  });
  if (build.status !== 0) throw new Error(`building the console failed: ${build.stderr || build.stdout}`);
  return dir;
}

/** Starts `<dir>/main.js` with exactly `env` on a free port and resolves once `/readyz` answers 200. */
async function startApp(dir: string, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(dir, 'main.js')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: RunningApp = { port, child, output: '' };
  if (child.pid !== undefined) {
    const dog = spawnWatchdog(child.pid, { name: 'ship-checks-watchdog' });
    child.once('exit', () => dog?.kill('SIGKILL'));
  }
  const collect = (chunk: Buffer) => (running.output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitFor(async () => child.exitCode === null && (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 100,
    message: () => `${dir} to answer /readyz with 200 (exit ${child.exitCode}):\n${running.output.slice(-2000)}`,
  });
  return running;
}

/** SIGTERM, then waits for the exit. */
async function stopApp(app: RunningApp | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  await exited;
}

/** How a WebSocket upgrade through the proxy ended: the first frame after `auth`, or the HTTP status that refused it. */
function openWs(url: string, origin: string, token: string): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => ws.send(JSON.stringify({ op: 'auth', id: 'a1', token })));
    ws.once('message', (data: Buffer) => {
      resolve((JSON.parse(data.toString()) as { type: string }).type);
      ws.close();
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

describe('the dashboard as the prod overlay deploys it', () => {
  const secret = randomBytes(32).toString('base64url');
  const ingress = () => named<IIngress>(objectsOf('prod'), 'Ingress', 'streaming-gateway');
  const pageOrigin = () => `https://${ingress().spec?.rules?.[0]?.host}`;
  let redis: RedisTestServer | undefined;
  let snapshots: string | undefined;
  let gateway: RunningApp | undefined;
  let alertService: RunningApp | undefined;
  let proxy: IngressProxy | undefined;
  let token: string;
  const viaIngress = (path: string) => `http://127.0.0.1:${proxy?.port}${path}`;

  beforeAll(async () => {
    redis = await startRedis();
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    snapshots = mkdtempSync(join(REPO_ROOT, 'tmp', 'ship-checks-deployed-'));
    const common = { REDIS_URL: redis.url, AUTH_JWT_SECRET: secret, REDIS_STREAM_PREFIX: `deployed-${randomBytes(3).toString('hex')}:` };
    const gatewayDir = buildSnapshot('streaming-gateway', snapshots);
    // DASHBOARD_DIR as the image sets it: the console, built beside the gateway.
    gateway = await startApp(gatewayDir, { ...common, DASHBOARD_DIR: buildConsoleInto(snapshots), ...deployedEnv('streaming-gateway') });
    alertService = await startApp(buildSnapshot('alert-service', snapshots), { ...common, ALERT_SEED: 'false', ...deployedEnv('alert-service') });
    proxy = await IngressProxy.start({ ingress: ingress(), backends: { 'streaming-gateway': gateway.port, 'alert-service': alertService.port } });
    token = await new SignJWT({ channels: ['*'], scope: 'alerts:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('deployed-dashboard')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all([stopApp(gateway), stopApp(alertService)]);
    await redis?.dispose();
    if (snapshots) rmSync(snapshots, { recursive: true, force: true });
  }, 30_000);

  /** The alert API base path the page computes from what the gateway serves, on the page's own origin. */
  async function alertApiPath(): Promise<string> {
    const served = await fetch(viaIngress('/dashboard-config.json'));
    expect(served.status).toBe(200);
    const { alertApi } = (await served.json()) as { alertApi?: string };
    const url = new URL(alertApi ?? '', `${pageOrigin()}/`);
    expect(url.origin).toBe(pageOrigin());
    return url.pathname;
  }

  it("issue 11 item 30: the dashboard's alert API path reaches the alert service through the Ingress and answers the page's origin with CORS headers", async () => {
    const api = await alertApiPath();
    const preflight = await fetch(viaIngress(`${api}/alerts`), {
      method: 'OPTIONS',
      headers: { Origin: pageOrigin(), 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([204, pageOrigin()]);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/\bAuthorization\b/i);
    const list = await fetch(viaIngress(`${api}/alerts?status=firing`), { headers: { Origin: pageOrigin(), Authorization: `Bearer ${token}` } });
    expect([list.status, list.headers.get('access-control-allow-origin')]).toEqual([200, pageOrigin()]);
    expect(await list.json()).toMatchObject({ items: [] });
  });

  it('issue 11 item 30: the alert API gives a page on another origin no CORS headers, so its browser keeps the answers from it', async () => {
    const api = await alertApiPath();
    const preflight = await fetch(viaIngress(`${api}/alerts`), {
      method: 'OPTIONS',
      headers: { Origin: OTHER_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    const list = await fetch(viaIngress(`${api}/alerts?status=firing`), { headers: { Origin: OTHER_ORIGIN, Authorization: `Bearer ${token}` } });
    expect([preflight.headers.get('access-control-allow-origin'), list.headers.get('access-control-allow-origin')]).toEqual([null, null]);
  });

  it("issue 11 item 30: /ws through the Ingress accepts the page's origin and refuses another with 403", async () => {
    const ws = `ws://127.0.0.1:${proxy?.port}/ws`;
    expect(await openWs(ws, pageOrigin(), token)).toBe('welcome');
    expect(await openWs(ws, OTHER_ORIGIN, token)).toBe(403);
  });

  it('issue 11 item 31: the Ingress answers /metrics, /readyz and /livez with its own 404, and serves the dashboard at /', async () => {
    const statuses = await Promise.all(['/metrics', '/readyz', '/livez', '/'].map(async (path) => [path, (await fetch(viaIngress(path))).status]));
    expect(statuses).toEqual([
      ['/metrics', 404],
      ['/readyz', 404],
      ['/livez', 404],
      ['/', 200],
    ]);
  });

  it("serves every file of the console's build through the Ingress, which routes them by name", async () => {
    const files = ['/index.html', '/main.js', '/main.js.map', '/styles.css', '/dashboard-config.json'];
    const statuses = await Promise.all(files.map(async (path) => [path, (await fetch(viaIngress(path))).status]));
    expect(statuses).toEqual(files.map((path) => [path, 200]));
  });
});
