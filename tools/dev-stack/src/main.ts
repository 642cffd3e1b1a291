// `npm start`: the whole stack on this machine. Uses REDIS_URL when set, otherwise starts a
// local redis-server with AOF under .data/; checks it with the doctor; builds and starts every
// service with prefixed logs; waits for each /readyz; prints the dashboard URL with a
// development token. Ctrl-C (or SIGTERM) stops everything, services first, Redis last.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { devSecret, devToken } from './dev-token';
import { startLocalRedis } from './local-redis';
import { ManagedProcess } from './managed-process';
import { availableServices } from './services';
import { waitReady } from './wait-ready';

const root = resolve(__dirname, '../../..');
const READY_TIMEOUT_MS = 90_000;

function help(): void {
  console.log(`Usage: npm start [-- --no-build]

Runs Redis (or uses REDIS_URL), the alert service, the streaming gateway, the health monitor
and the market simulator on this machine, and prints the dashboard URL.

Environment:
  REDIS_URL          use this Redis instead of starting one (then nothing is written to .data/)
  REDIS_PORT         port of the local Redis (default 6379)
  REDIS_SERVER_BIN   redis-server binary (default: redis-server on PATH)
  any service variable (see the README) is passed through to every service

Options:
  --no-build         start the last build in dist/ instead of building first
  --help             this text`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    help();
    return 0;
  }
  const children: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping ${children.map((c) => c.name).join(', ') || 'nothing'}...`);
    for (const child of [...children].reverse()) await child.stop();
    console.log('Stopped.');
  };
  let onStopped: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (onStopped = done));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stopAll(signal).then(onStopped));
  }

  let redisUrl = process.env['REDIS_URL'];
  if (redisUrl) {
    console.log('Using the Redis at REDIS_URL.');
  } else {
    const port = Number(process.env['REDIS_PORT'] ?? 6379);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.error(`REDIS_PORT must be a TCP port number, got ${process.env['REDIS_PORT']}`);
      return 2;
    }
    const redis = await startLocalRedis({ dataDir: join(root, '.data'), port, binary: process.env['REDIS_SERVER_BIN'] });
    children.push(redis.process);
    redisUrl = redis.url;
    console.log(`Local Redis ready at ${redisUrl} (AOF in .data/redis).`);
  }

  const doctor = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'libs/redis-client/src/doctor/doctor-cli.ts')], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: 'inherit',
  });
  if (doctor.status !== 0) console.log(`The doctor found problems (exit ${doctor.status}); see its report above. Starting anyway.`);

  const services = availableServices(root);
  if (!args.includes('--no-build')) {
    for (const service of services) {
      const build = spawnSync(process.execPath, [join(root, 'scripts/build-app.mjs'), service.name], { stdio: 'inherit', cwd: root });
      if (build.status !== 0) {
        console.error(`Building ${service.name} failed.`);
        await stopAll('build failed');
        return 1;
      }
    }
  }

  const secret = devSecret(join(root, '.data', 'dev-jwt-secret'));
  const ports = Object.fromEntries(services.map((s) => [s.name, s.port]));
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
        PORT: String(service.port),
        INSTANCE_ID: `${service.name}-local`,
        ...service.env({ secret, ports }),
      },
    });
    children.push(child);
  }
  const results = await Promise.all(
    services.map(async (service, i) => {
      const child = children[children.length - services.length + i];
      const ok = await waitReady(`http://127.0.0.1:${service.port}/readyz`, READY_TIMEOUT_MS, () => !child?.running);
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
  if (ports['streaming-gateway']) {
    console.log(`  Dashboard     http://127.0.0.1:${ports['streaming-gateway']}/?token=${token}`);
    console.log(`  WebSocket     ws://127.0.0.1:${ports['streaming-gateway']}/ws`);
  }
  if (ports['alert-service']) console.log(`  Alert API     http://127.0.0.1:${ports['alert-service']}/api/v1  (Authorization: Bearer <token>)`);
  if (ports['health-monitor']) console.log(`  Health        http://127.0.0.1:${ports['health-monitor']}/api/v1/status   metrics: /metrics`);
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
