// `npm start`: the whole stack on this machine. Uses REDIS_URL when set, otherwise starts a
// local redis-server with AOF under the data directory (REBAL_DATA_DIR, default .data/); checks
// it with the doctor; builds and starts every service with prefixed logs on the ports planned
// from REBAL_PORT_BASE, and the console the gateway serves; waits for each /readyz; prints the
// console URL with a development
// token. Ctrl-C (or SIGTERM) stops everything, services first, Redis last. On a terminal the
// services' JSON logs are printed for a person (pino-pretty); --json-logs keeps them JSON.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { dashboardUrl } from './dashboard-url';
import { devSecret, devToken } from './dev-token';
import { portInUse, startLocalRedis } from './local-redis';
import { chooseLogFormat, LogFormatError, type LogFormat } from './log-format';
import { ManagedProcess } from './managed-process';
import { prettyLogLine } from './pretty-log-line';
import { availableServices, CONSOLE_DIR } from './services';
import { parseStackSettings, StackSettingError, type StackSettings } from './stack-settings';
import { waitReady } from './wait-ready';

const root = resolve(__dirname, '../../..');
const READY_TIMEOUT_MS = 90_000;

function help(): void {
  console.log(`Usage: npm start [-- --no-build] [-- --json-logs | --pretty-logs]

Runs Redis (or uses REDIS_URL), the alert service, the streaming gateway, the health monitor
and the market simulator on this machine, and prints the console's URL.

Environment:
  REDIS_URL          use this Redis instead of starting one
  REDIS_PORT         port of the local Redis (default 6379)
  REDIS_SERVER_BIN   redis-server binary (default: redis-server on PATH)
  REBAL_DATA_DIR     where the local Redis keeps its AOF and the stack its development JWT
                     secret (default <repo>/.data; a relative path is taken from the repo)
  REBAL_PORT_BASE    first of the 4 service ports (default 8080): gateway = base,
                     alert service = base+1, health monitor = base+2, simulator = base+3
  any service variable (see the README) is passed through to every service

Options:
  --no-build         start the last build in dist/ instead of building first
  --json-logs        print the services' logs as they write them, one JSON object a line
                     (the default when the output is not a terminal, e.g. piped to a file)
  --pretty-logs      print them for a person: time, level, message, then the other fields
                     (the default on a terminal, with each service's name in colour)
  --help             this text`);
}

/** Where `dir` is, for messages: relative to the repository when inside it. */
function shown(dir: string): string {
  const rel = relative(root, dir);
  return rel && !rel.startsWith('..') ? `${rel}/` : dir;
}

/** The settings, or undefined after printing why they are bad. */
function readSettings(): StackSettings | undefined {
  try {
    const settings = parseStackSettings(process.env, root);
    mkdirSync(settings.dataDir, { recursive: true });
    return settings;
  } catch (error) {
    if (error instanceof StackSettingError) console.error(`Bad setting: ${error.message}`);
    else console.error(`Bad setting: REBAL_DATA_DIR cannot be used as the data directory (${(error as Error).message})`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    help();
    return 0;
  }
  const terminal = process.stdout.isTTY === true;
  let logFormat: LogFormat;
  try {
    logFormat = chooseLogFormat(args, terminal);
  } catch (error) {
    if (!(error instanceof LogFormatError)) throw error;
    console.error(`Bad option: ${error.message}`);
    return 2;
  }
  const settings = readSettings();
  if (settings === undefined) return 2;
  const { ports } = settings;
  const services = availableServices(root);
  const taken: string[] = [];
  for (const service of services) if (await portInUse(ports[service.name])) taken.push(`${ports[service.name]} (${service.name})`);
  if (taken.length > 0) {
    console.error(
      `Port ${taken.join(', ')} already in use: is another stack running? Stop it, or give this one other ports, ` +
        `e.g. REBAL_PORT_BASE=${settings.portBase + 100} npm start`,
    );
    return 1;
  }
  const children: ManagedProcess[] = [];
  let stopping = false;
  let stopRun: Promise<void> | undefined;
  // One stop for every caller: a second Ctrl-C, or the SIGINT npm forwards on top of the
  // terminal's, waits for the same stop instead of exiting while children still run.
  const stopAll = (why: string): Promise<void> => {
    stopping = true;
    stopRun ??= (async () => {
      console.log(`\n${why}: stopping ${children.map((c) => c.name).join(', ') || 'nothing'}...`);
      for (const child of [...children].reverse()) await child.stop();
      console.log('Stopped.');
    })();
    return stopRun;
  };
  let onStopped: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (onStopped = done));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stopAll(signal).then(onStopped));
  }

  let redisUrl = settings.redisUrl;
  if (redisUrl) {
    console.log('Using the Redis at REDIS_URL.');
  } else {
    const redis = await startLocalRedis({ dataDir: settings.dataDir, port: settings.redisPort, binary: process.env['REDIS_SERVER_BIN'] });
    if (stopping) {
      // Ctrl-C came while Redis was starting: stopAll() has already run without it.
      await redis.process.stop();
      return 0;
    }
    children.push(redis.process);
    redisUrl = redis.url;
    console.log(`Local Redis ready at ${redisUrl} (AOF in ${shown(join(settings.dataDir, 'redis'))}).`);
  }

  const doctor = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'libs/redis-client/src/doctor/doctor-cli.ts')], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: 'inherit',
  });
  if (doctor.status !== 0) console.log(`The doctor found problems (exit ${doctor.status}); see its report above. Starting anyway.`);

  if (!args.includes('--no-build')) {
    const builds = [
      ...services.map((service) => ({ name: service.name, args: [join(root, 'scripts/build-app.mjs'), service.name] })),
      // The console the gateway serves at / (apps/console, into CONSOLE_DIR).
      { name: 'console', args: ['--require', 'tsx/cjs', join(root, 'apps/console/build/build-console.ts'), join(root, CONSOLE_DIR)] },
    ];
    for (const build of builds) {
      const built = spawnSync(process.execPath, build.args, { stdio: 'inherit', cwd: root, env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' } });
      if (built.status !== 0) {
        console.error(`Building ${build.name} failed.`);
        await stopAll('build failed');
        return 1;
      }
    }
  }

  const secret = devSecret(join(settings.dataDir, 'dev-jwt-secret'));
  if (logFormat === 'pretty') console.log('Service logs are shown for reading; `npm start -- --json-logs` prints them as JSON.');
  for (const service of services) {
    if (stopping) break;
    const child = new ManagedProcess({
      name: service.name,
      command: process.execPath,
      args: ['--enable-source-maps', join(root, 'dist/apps', service.name, 'main.js')],
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        PORT: String(ports[service.name]),
        INSTANCE_ID: `${service.name}-local`,
        ...service.env({ secret, ports }),
      },
      format: logFormat === 'pretty' ? prettyLogLine({ service: service.name, colorize: terminal }) : undefined,
    });
    children.push(child);
  }
  const results = await Promise.all(
    services.map(async (service, i) => {
      const child = children[children.length - services.length + i];
      const ok = await waitReady(`http://127.0.0.1:${ports[service.name]}/readyz`, READY_TIMEOUT_MS, () => !child?.running);
      return { service, ok };
    }),
  );
  if (stopping) {
    await stopped;
    return 0;
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.service.name);
  if (failed.length) {
    console.error(`Not ready after ${READY_TIMEOUT_MS / 1000} s: ${failed.join(', ')}. See their logs above.`);
    await stopAll('start-up failed');
    return 1;
  }
  const token = await devToken(secret);
  const line = '─'.repeat(72);
  console.log(`\n${line}\nRebal Realtime is running.\n`);
  const running = new Set<string>(services.map((s) => s.name));
  if (running.has('streaming-gateway')) {
    console.log(`  Console       ${dashboardUrl({ gatewayPort: ports['streaming-gateway'], alertPort: ports['alert-service'], token })}`);
    console.log(`  WebSocket     ws://127.0.0.1:${ports['streaming-gateway']}/ws`);
  }
  if (running.has('alert-service')) console.log(`  Alert API     http://127.0.0.1:${ports['alert-service']}/api/v1  (Authorization: Bearer <token>)`);
  if (running.has('health-monitor')) console.log(`  Health        http://127.0.0.1:${ports['health-monitor']}/api/v1/status   metrics: /metrics`);
  console.log(`  Redis         ${redisUrl.replace(/:[^:@/]*@/, ':***@')}`);
  console.log(`\n  Development token (12 h):\n  ${token}\n\nPress Ctrl-C to stop.\n${line}`);
  await stopped;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
