// @rebal/gateway-client as a web developer gets it: built (libs/gateway-client/build-package.mjs),
// packed with `npm pack`, installed from the tarball into an empty folder with `npm install
// <tarball> ws`, then loaded from there by Node (the examples, ES module and CommonJS) and by a
// plain page in headless Chromium (the browser bundle and the browser's own WebSocket), each
// receiving an event XADDed to the built gateway's Redis. Also the browser bundle's size budget.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createEvent, createRedisConnection, parseRedisConfig, StreamPublisher, type RedisConnection } from '@rebal/redis-client';
import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import type { Browser } from 'playwright-core';
import { Registry } from 'prom-client';
import { buildApp, BuiltService, GroupProcess, launchChromium, mintToken, PageProblems, REPO_ROOT, snapshotBuild } from './support';

/** The browser bundle's budget, min+gzip (issue 16). */
const BUNDLE_BUDGET_BYTES = 10 * 1024;
const PACKAGE = '@rebal/gateway-client';
const EXAMPLES_DIR = join(REPO_ROOT, 'libs/gateway-client/examples');
/** How long one short command (a build, npm pack, npm install, tsc, a Node one-liner) may take. */
const COMMAND_TIMEOUT_MS = 90_000;
/** How long a client may take to connect and subscribe, and then to receive a published event. */
const CLIENT_DEADLINE_MS = 20_000;

const execFileAsync = promisify(execFile);

/** Runs a command to its end within COMMAND_TIMEOUT_MS; rejects with its output when it fails. */
async function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string; killed?: boolean };
    const output = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`.slice(-6000);
    throw new Error(`${command} ${args.join(' ')} failed${failed.killed ? ` (killed after ${COMMAND_TIMEOUT_MS} ms)` : ''}: ${failed.message.split('\n')[0]}\n${output}`);
  }
}

/** Serves the files under `dir` over HTTP on 127.0.0.1 (module scripts need a JavaScript MIME type). */
async function serveFolder(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = resolve(dir, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    try {
      if (!file.startsWith(dir + sep)) throw new Error('outside the folder');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return server;
}

describe('the @rebal/gateway-client package', () => {
  let work: string;
  /** The build (what `nx run gateway-client:build` writes to dist/libs/gateway-client). */
  let built: string;
  /** `npm pack --json`'s report. */
  let packed: { filename: string; files: { path: string }[] };
  /** The web developer's folder: the tarball and ws installed, the examples beside them. */
  let app: string;

  beforeAll(async () => {
    // Outside the repository: npm looks for the nearest package.json above a folder without one.
    work = mkdtempSync(join(tmpdir(), 'sdk-package-'));
    built = join(work, 'build');
    await run(process.execPath, [join(REPO_ROOT, 'libs/gateway-client/build-package.mjs'), '--out', built], REPO_ROOT);
    [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], built)) as (typeof packed)[];
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sdk-package-test', private: true, type: 'commonjs' }));
    await run('npm', ['install', join(work, packed.filename), 'ws', '--prefer-offline', '--no-audit', '--no-fund'], app);
    cpSync(EXAMPLES_DIR, app, { recursive: true });
  }, 3 * COMMAND_TIMEOUT_MS);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`keeps the browser bundle within ${BUNDLE_BUDGET_BYTES} bytes min+gzip`, () => {
    const minified = readFileSync(join(built, 'browser/gateway-client.min.js'));
    const gzipped = gzipSync(minified).length;
    if (gzipped > BUNDLE_BUDGET_BYTES) {
      throw new Error(`browser/gateway-client.min.js is ${gzipped} bytes min+gzip (${minified.length} minified), over the budget of ${BUNDLE_BUDGET_BYTES}`);
    }
    // Minified for real: one unminified module is several times larger.
    expect(minified.length).toBeLessThan(readFileSync(join(built, 'index.js')).length * 0.7);
  });

  it('packs the entry points, types, browser bundle, README, CHANGELOG and LICENSE, and nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    const manifest = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8')) as { name: string; version: string; exports: unknown };
    expect(packed.filename).toBe(`rebal-gateway-client-${manifest.version}.tgz`);
    expect(manifest.name).toBe(PACKAGE);
    expect(files.filter((f) => !/^types\/.+\.d\.c?ts$/.test(f))).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'browser/gateway-client.min.js',
      'browser/gateway-client.min.js.map',
      'index.cjs',
      'index.js',
      'package.json',
    ]);
    // Every declaration twice: .d.ts for import, .d.cts for require.
    const declarations = files.filter((f) => f.startsWith('types/'));
    expect(declarations).toContain('types/index.d.ts');
    expect(declarations.filter((f) => f.endsWith('.d.cts')).map((f) => f.replace(/\.d\.cts$/, '.d.ts'))).toEqual(declarations.filter((f) => f.endsWith('.d.ts')));
    // Each path the manifest's exports name is in the tarball.
    const targets = JSON.stringify(manifest.exports).match(/"\.\/[^"]+"/g)?.map((t) => t.slice(3, -1)) ?? [];
    expect(targets.filter((t) => t.includes('.')).filter((t) => !files.includes(t))).toEqual([]);
    // The README speaks to someone outside this repository.
    const readme = readFileSync(join(built, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\]\((?!https?:|#)|\b(libs|apps|docs|tools)\/|repository only/);
    expect(readme).toMatch(/npm install @rebal\/gateway-client/);
  });

  it('loads from Node without ws installed (ES module and CommonJS), and asks for a WebSocket', async () => {
    // A folder holding the installed package and nothing else.
    const bare = join(work, 'no-ws');
    cpSync(join(app, 'node_modules', PACKAGE), join(bare, 'node_modules', PACKAGE), { recursive: true });
    const probe = (load: string) => `
      ${load}
      let ws = 'installed';
      try { require.resolve('ws'); } catch { ws = 'missing'; }
      let refused = '';
      try { new GatewayClient({ url: 'ws://127.0.0.1:1/ws', token: 't' }); } catch (error) { refused = error.code + ': ' + error.message; }
      console.log(JSON.stringify({ ws, refused }));`;
    const cjs = await run(process.execPath, ['-e', probe(`const { GatewayClient } = require('${PACKAGE}');`)], bare);
    const esm = await run(
      process.execPath,
      ['--input-type=module', '-e', probe(`import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); const { GatewayClient } = await import('${PACKAGE}');`)],
      bare,
    );
    for (const output of [cjs, esm]) {
      expect(JSON.parse(output)).toEqual({ ws: 'missing', refused: expect.stringMatching(/^invalid_argument: no WebSocket implementation: pass the WebSocket option/) });
    }
  }, COMMAND_TIMEOUT_MS);

  it('type-checks for import and for require (moduleResolution nodenext)', async () => {
    const use = `
      const client = new GatewayClient({ url: 'ws://127.0.0.1:8080/ws', token: () => 'jwt', reconnect: { maxMs: 5000 } });
      client.on('message', (channel: string, id: string, event: CloudEvent) => void [channel, id, event.type, event.data]);
      client.on('recovered', (_channel, recovered, reason: NotRecoveredReason | undefined) => void [recovered, reason]);
      export const closing: Promise<void> = client.close();
      export const code: GatewayClientErrorCode = new GatewayClientError('closed', 'closed').code;`;
    const names = 'GatewayClient, GatewayClientError, type CloudEvent, type GatewayClientErrorCode, type NotRecoveredReason';
    writeFileSync(join(app, 'use-import.mts'), `import { ${names} } from '${PACKAGE}';\n${use}`);
    writeFileSync(join(app, 'use-require.cts'), `import { ${names} } from '${PACKAGE}';\n${use}`);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [], strict: true, noEmit: true, skipLibCheck: false },
        files: ['use-import.mts', 'use-require.cts'],
      }),
    );
    const trace = await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--traceResolution'], app);
    const resolvedTo = [...trace.matchAll(/Module name '@rebal\/gateway-client' was successfully resolved to '([^']+)'/g)].map((m) => m[1]?.slice(app.length));
    expect(resolvedTo.sort()).toEqual([`/node_modules/${PACKAGE}/types/index.d.cts`, `/node_modules/${PACKAGE}/types/index.d.ts`]);
  }, COMMAND_TIMEOUT_MS);

  describe('against the built gateway on a real Redis', () => {
    const secret = randomBytes(32).toString('base64url');
    let redis: RedisTestServer | undefined;
    let gateway: BuiltService | undefined;
    let gatewayDir: string | undefined;
    let pages: Server | undefined;
    let connection: RedisConnection | undefined;
    let publisher: StreamPublisher;
    let token: string;
    const running: GroupProcess[] = [];

    /** A symbol no other test or simulator publishes. */
    const uniqueSymbol = () => `SDK${randomBytes(5).toString('hex').toUpperCase()}`;
    const publishPrice = (symbol: string, price: number) =>
      publisher.publish('market_data', createEvent({ type: 'price_update', source: '/sdk-package-test', subject: symbol, data: { symbol, price, currency: 'USD' } }));

    beforeAll(async () => {
      redis = await startRedis();
      await buildApp('streaming-gateway');
      gatewayDir = snapshotBuild('streaming-gateway');
      // The page comes from another origin than the gateway's, as a web developer's would.
      pages = await serveFolder(app);
      gateway = await BuiltService.start({
        app: 'streaming-gateway',
        appDir: gatewayDir,
        env: { REDIS_URL: redis.url, AUTH_JWT_SECRET: secret, CORS_ORIGINS: `http://127.0.0.1:${(pages.address() as AddressInfo).port}`, INSTANCE_ID: `sdk-package-${randomBytes(3).toString('hex')}` },
      });
      token = await mintToken(secret, { subject: 'sdk-package-test', channels: ['market_data'] });
      connection = createRedisConnection(parseRedisConfig({ REDIS_URL: redis.url }).main, { name: 'sdk-package-publisher' });
      publisher = new StreamPublisher({ redis: connection, registry: new Registry() });
      await connection.ping();
    }, 240_000);

    afterAll(async () => {
      for (const child of running) child.killGroup();
      await connection?.quit().catch(() => undefined);
      await gateway?.stop();
      await redis?.dispose();
      await new Promise((closed) => (pages ? pages.close(closed) : closed(undefined)));
      if (gatewayDir) rmSync(dirname(gatewayDir), { recursive: true, force: true });
    }, 60_000);

    /** Runs an example from the web developer's folder until it has printed one event of a fresh symbol's price; returns that line. */
    async function receiveOnePrice(script: string): Promise<string> {
      const symbol = uniqueSymbol();
      const channel = `market_data:${symbol}`;
      const example = GroupProcess.spawn(process.execPath, [script, channel], {
        cwd: app,
        env: { PATH: process.env['PATH'] ?? '', GATEWAY_URL: `ws://127.0.0.1:${gateway?.port}/ws`, GATEWAY_TOKEN: token, MAX_EVENTS: '1' },
      });
      running.push(example);
      const ended = example.exited.then((exit) => {
        throw new Error(`${script} ended (${exit.signal ?? `exit ${exit.code}`}) before it subscribed:\n${example.output.tail()}`);
      });
      ended.catch(() => undefined);
      await Promise.race([
        ended,
        waitFor(() => example.output.text.includes(`subscribed: ${channel}\n`), { timeoutMs: CLIENT_DEADLINE_MS, message: () => `${script} to subscribe to ${channel}:\n${example.output.tail()}` }),
      ]);
      const id = await publishPrice(symbol, 123.45);
      // MAX_EVENTS=1: the script closes its client after the event and Node exits on its own.
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        example.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${script} did not print the event and exit within ${CLIENT_DEADLINE_MS} ms of its XADD:\n${example.output.tail()}`)), CLIENT_DEADLINE_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      expect({ exit, output: example.output.text }).toEqual({ exit: { code: 0, signal: null }, output: expect.any(String) });
      const line = example.output.text.split('\n').find((l) => l.startsWith(`${channel} `));
      expect(line).toBe(`${channel} ${id} price_update ${JSON.stringify({ symbol, price: 123.45, currency: 'USD' })}`);
      return line ?? '';
    }

    it('node-example.mjs imports the package (ES module), connects with ws, subscribes, prints an event XADDed to Redis and exits 0', async () => {
      await receiveOnePrice('node-example.mjs');
    }, 2 * CLIENT_DEADLINE_MS + 5_000);

    it('node-example.cjs requires the package (CommonJS), connects with ws, subscribes, prints an event XADDed to Redis and exits 0', async () => {
      await receiveOnePrice('node-example.cjs');
    }, 2 * CLIENT_DEADLINE_MS + 5_000);

    it("index.html loads the browser bundle as an ES module in Chromium and shows a price through the browser's WebSocket", async () => {
      let browser: Browser | undefined;
      try {
        browser = await launchChromium();
        const page = await browser.newPage();
        const problems = new PageProblems(page);
        const symbol = uniqueSymbol();
        const query = new URLSearchParams({ url: `ws://127.0.0.1:${gateway?.port}/ws`, token, channels: `market_data:${symbol}` });
        await page.goto(`http://127.0.0.1:${(pages?.address() as AddressInfo).port}/index.html?${query}`);
        await page.locator('[data-testid="state"][data-subscribed]').waitFor({ state: 'attached', timeout: CLIENT_DEADLINE_MS });
        expect(await page.getByTestId('state').textContent()).toBe('authenticated');
        await publishPrice(symbol, 123.45);
        await page.locator(`[data-testid="price-${symbol}"][data-price="123.45"]`).waitFor({ state: 'visible', timeout: CLIENT_DEADLINE_MS });
        expect(await page.getByTestId(`price-${symbol}`).textContent()).toContain('USD');
        expect(await page.getByTestId('error').textContent()).toBe('');
        // Loaded from the package's browser bundle, by the import map.
        expect(await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname))).toContain(
          `/node_modules/${PACKAGE}/browser/gateway-client.min.js`,
        );
        expect(problems.take()).toEqual([]);
      } finally {
        await browser?.close().catch(() => undefined);
      }
    }, 90_000);
  });
});
