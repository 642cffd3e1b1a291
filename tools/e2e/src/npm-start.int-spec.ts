// The README's quickstart as a newcomer runs it: `npm start` in a terminal, use the stack,
// Ctrl-C. The stack runs on its own ports (REBAL_PORT_BASE, REDIS_PORT) with its data in a
// temporary directory (REBAL_DATA_DIR), so a developer's running stack is never touched.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClient, type CloudEvent } from '@rebal/gateway-client';
import { freePort, waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';
import {
  AlertApiClient,
  describeProcs,
  freePortBase,
  GroupProcess,
  groupMembers,
  isPortOpen,
  processTree,
  readProcTable,
  REPO_ROOT,
  stillRunning,
  type AlertJson,
  type ProcInfo,
} from './support';

/** The first start builds every app with esbuild; a busy 2-core machine needs the margin. */
const READY_TIMEOUT_MS = 150_000;
/** Services stop within 10 s each on SIGTERM; Ctrl-C stops them in parallel. */
const STOP_TIMEOUT_MS = 40_000;
const SERVICES = ['streaming-gateway', 'alert-service', 'health-monitor', 'market-simulator'] as const;

describe('npm start', () => {
  let stack: GroupProcess;
  let dataDir: string;
  let base: number;
  let redisPort: number;
  let token: string;
  /** Every process of the stack seen while it ran (snapshots of the tree and of the group). */
  const seen = new Map<string, ProcInfo>();
  const clients: GatewayClient[] = [];

  const portOf = (service: (typeof SERVICES)[number]) => base + SERVICES.indexOf(service);
  const withOutput = (message: string) => new Error(`${message}\n--- last 3000 characters of npm start's output ---\n${stack.output.tail(3000)}`);
  /** `work`, failing at once (with the output) if npm start exits first. */
  const whileRunning = <T>(work: Promise<T>, what: string): Promise<T> =>
    Promise.race([
      work.catch((error: Error) => {
        throw withOutput(`${what}: ${error.message}`);
      }),
      stack.exited.then((exit) => {
        throw withOutput(`npm start exited (${exit.signal ?? `code ${exit.code}`}) while waiting for ${what}`);
      }),
    ]);
  const remember = () => {
    const table = readProcTable();
    for (const p of [...processTree(stack.pid, table), ...groupMembers(stack.pid, table)]) seen.set(`${p.pid}/${p.startTime}`, p);
  };
  const connectClient = async (): Promise<GatewayClient> => {
    const client = new GatewayClient({ url: `ws://127.0.0.1:${portOf('streaming-gateway')}/ws`, token, WebSocket, reconnect: false });
    clients.push(client);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    // scripts/ensure-node-modules.sh would run `npm ci` under every other test of this tree.
    const installed = join(REPO_ROOT, 'node_modules/.package-lock.json');
    if (!existsSync(installed) || statSync(join(REPO_ROOT, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
      throw new Error('node_modules is older than package-lock.json, so npm start would reinstall every package (npm ci) in the middle of the test run: run `npm ci` first');
    }
    dataDir = mkdtempSync(join(tmpdir(), 'rebal-npm-start-'));
    base = await freePortBase(SERVICES.length);
    redisPort = await freePort();
    // A newcomer's terminal: no REDIS_URL (so npm start runs its own Redis), no test-runner variables.
    const env: NodeJS.ProcessEnv = { ...process.env, REBAL_DATA_DIR: dataDir, REBAL_PORT_BASE: String(base), REDIS_PORT: String(redisPort) };
    for (const name of ['REDIS_URL', 'NODE_ENV', 'JEST_WORKER_ID']) delete env[name];
    stack = GroupProcess.spawn('npm', ['start'], { cwd: REPO_ROOT, env });

    await whileRunning(
      waitFor(() => stack.output.text.includes('Rebal Realtime is running') && stack.output.text.includes('Press Ctrl-C to stop'), {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 100,
        message: 'the banner "Rebal Realtime is running"',
      }),
      'the ready banner',
    );
    remember();
    const match = /Development token \(12 h\):\s+(\S+)/.exec(stack.output.text);
    if (!match?.[1]) throw withOutput('the banner has no development token');
    token = match[1];
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    if (stack) {
      // Only what this test started: its process group, then any process of its tree still running.
      stack.killGroup();
      for (const p of stillRunning([...seen.values()])) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('prints a console URL for its ports and every service answers /readyz with 200', async () => {
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const gateway = portOf('streaming-gateway');
    const alertApi = `http://127.0.0.1:${portOf('alert-service')}/api/v1`;
    expect(stack.output.text).toContain(`Console       http://127.0.0.1:${gateway}/?token=${token}&alertApi=${alertApi}`);

    for (const service of SERVICES) {
      const url = `http://127.0.0.1:${portOf(service)}/readyz`;
      await whileRunning(
        waitFor(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200, { timeoutMs: 30_000, intervalMs: 200, message: `${url} to answer 200` }),
        `${service} /readyz`,
      );
    }

    const page = await fetch(`http://127.0.0.1:${gateway}/?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rebal Realtime console');
    // The console reads the health monitor's status from its page's origin (HEALTH_API_URL, CORS_ORIGINS).
    const served = (await (await fetch(`http://127.0.0.1:${gateway}/dashboard-config.json`)).json()) as { healthApi?: string };
    expect(served.healthApi).toBe(`http://127.0.0.1:${portOf('health-monitor')}/api/v1`);
    const status = await fetch(`${served.healthApi}/status`, { headers: { Origin: `http://127.0.0.1:${gateway}` } });
    expect(status.headers.get('access-control-allow-origin')).toBe(`http://127.0.0.1:${gateway}`);
    // The console's origin may call the alert API (CORS_ORIGINS follows the gateway's port).
    const preflight = await fetch(`${alertApi}/alerts`, {
      method: 'OPTIONS',
      headers: { Origin: `http://127.0.0.1:${gateway}`, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(`http://127.0.0.1:${gateway}`);
    // Its Redis AOF and JWT secret live in REBAL_DATA_DIR.
    expect(existsSync(join(dataDir, 'dev-jwt-secret'))).toBe(true);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
  }, 60_000);

  it("delivers the market simulator's prices to a WebSocket client of the gateway", async () => {
    const client = await whileRunning(connectClient(), 'a WebSocket connection to the gateway');
    const prices: CloudEvent[] = [];
    client.on('message', (_channel, _id, event) => prices.push(event));
    await client.subscribe('market_data:BTC');
    const price = await whileRunning(
      waitFor(() => prices.find((event) => event.type === 'price_update' && event.source === '/market-simulator'), {
        timeoutMs: 20_000,
        message: () => `a simulated BTC price on market_data:BTC (got ${prices.length} events)`,
      }),
      'a simulated price',
    );
    expect(price.data).toEqual(expect.objectContaining({ symbol: 'BTC', currency: 'USD' }));
    expect((price.data as { price: number }).price).toBeGreaterThan(0);
    await client.close();
  }, 60_000);

  it('raises an alert from a rule created over the REST API, shown by the API and on the alerts channel', async () => {
    const api = new AlertApiClient(`http://127.0.0.1:${portOf('alert-service')}/api/v1`, token);
    const client = await whileRunning(connectClient(), 'a WebSocket connection to the gateway');
    const raised: CloudEvent[] = [];
    client.on('message', (_channel, _id, event) => {
      if (event.type === 'alert.raised') raised.push(event);
    });
    await client.subscribe('alerts');

    // The simulator walks BTC from 97 000 USD: every price it publishes is above 1 USD.
    const ruleId = `e2e-btc-above-${Date.now().toString(36)}`;
    await api.createRule({
      id: ruleId,
      name: 'e2e: BTC above 1 USD',
      kind: 'price_threshold',
      symbol: 'BTC',
      direction: 'above',
      severities: { S1: 1 },
      annotations: { summary: 'BTC at {{price}}, above {{threshold}}' },
    });

    const alert = await whileRunning(
      waitFor(async () => (await api.listAlerts({ label: `rule=${ruleId}` }))[0], { timeoutMs: 30_000, intervalMs: 250, message: `an alert of rule ${ruleId} in GET /alerts` }),
      'the alert in the API',
    );
    expect(alert).toEqual(expect.objectContaining({ ruleId, status: 'firing', severity: 'S1' }));
    expect(alert.labels).toEqual(expect.objectContaining({ rule: ruleId, symbol: 'BTC' }));
    expect(alert.value).toBeGreaterThan(1);

    const event = await whileRunning(
      waitFor(() => raised.find((e) => (e.data as { alert?: AlertJson }).alert?.id === alert.id), { timeoutMs: 15_000, message: `alert.raised of ${alert.id} on the alerts channel` }),
      'the alert on the alerts channel',
    );
    expect(event.subject).toBe(alert.id);
    await client.close();
  }, 90_000);

  it('stops on Ctrl-C within the deadline, cleanly, leaving no process, no Redis and no open port behind', async () => {
    remember();
    const redis = [...seen.values()].filter((p) => p.comm === 'redis-server');
    expect(redis).toHaveLength(1);
    const ports = [...SERVICES.map(portOf), redisPort];

    const sentAt = Date.now();
    expect(stack.signalGroup('SIGINT')).toBe(true);
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      stack.exited,
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(withOutput(`npm start still runs ${STOP_TIMEOUT_MS} ms after Ctrl-C`)), STOP_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(deadline));
    expect(Date.now() - sentAt).toBeLessThan(STOP_TIMEOUT_MS);

    // Nothing of the group, nor any process seen in its tree (Redis runs in a group of its own), survives.
    await waitFor(() => groupMembers(stack.pid).length === 0 && stillRunning([...seen.values()]).length === 0, {
      timeoutMs: 10_000,
      message: () => `the stack's processes to be gone (group: ${describeProcs(groupMembers(stack.pid))}; seen: ${describeProcs(stillRunning([...seen.values()]))})`,
    });
    expect(stillRunning(redis)).toEqual([]);
    for (const port of ports) expect({ port, open: await isPortOpen(port) }).toEqual({ port, open: false });

    // Cleanly: every service stopped without errors, and Redis was stopped by the stack (SIGTERM, after them), not by the Ctrl-C.
    const output = stack.output.text;
    expect(output).toContain('\nStopped.');
    for (const service of SERVICES) expect(output).toContain(`"msg":"${service} stopped"`);
    expect(output).not.toContain('stopped with errors');
    expect(output).toMatch(/\[redis\].*Received SIGTERM/);
    expect(output).not.toMatch(/\[redis\].*Received SIGINT/);
  }, STOP_TIMEOUT_MS + 30_000);

  it('exits with code 0 after Ctrl-C', () => {
    const exit = stack.exit;
    if (exit === undefined) throw withOutput('npm start has not exited (see the previous test)');
    if (exit.code !== 0) {
      const hint =
        exit.signal === 'SIGINT' && stack.output.text.includes('\nStopped.')
          ? ' The stack itself stopped ("Stopped.") and exited 0, but npm runs the start script with /bin/sh, and dash, which was ' +
            'waiting for its child when the SIGINT came, re-raises it once the child has exited. `"start": "exec bash scripts/start.sh"` ' +
            'in package.json avoids that (the shell is replaced, so npm waits for the stack itself).'
          : '';
      throw withOutput(`npm start ended with ${exit.signal ?? `exit code ${exit.code}`} after Ctrl-C, not exit code 0.${hint}`);
    }
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
