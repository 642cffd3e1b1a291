import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '@rebal/redis-testing';
import type { BenchProcess, ProcessGroup } from './bench-process';

const ROOT = join(__dirname, '../../../..');
const GATEWAY_MAIN = join(ROOT, 'dist/apps/streaming-gateway/main.js');
/** Runs the built gateway unchanged, plus the benchmark's `gc` command (see there). */
const GATEWAY_HOST = join(__dirname, 'gateway-host.cjs');
/** Node options of every server process: the benchmark collects garbage before reading memory. */
export const SERVER_NODE_ARGS = ['--expose-gc'] as const;
/**
 * Environment of every server process besides its own settings: glibc keeps at most two malloc
 * arenas. Without it, what threads allocate once (the gateway's token checks run in libuv's
 * thread pool) stays in their arenas, and RSS per idle connection moved by up to 2 KiB from one
 * run to the next.
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** Secret the gateway verifies client tokens with (bench only). */
export const BENCH_JWT_SECRET = 'bench-only-secret-of-the-streaming-gateway-0123456789';

/** Stream key of the peer's socket.io adapter. */
export const PEER_STREAM_KEY = 'bench:socket.io';

/** A started server: its process and where clients connect. */
export interface StartedServer {
  readonly process: BenchProcess;
  readonly clientUrl: string;
  /** Where a `direct` publisher hands it events (the limit only). */
  readonly ingestUrl?: string;
}

/** One side of the comparison. */
export interface Side {
  /** Short id. */
  readonly id: 'gateway' | 'peer' | 'limit';
  /** Name in tables. */
  readonly name: string;
  /** Client load generator script. */
  readonly clientsFile: string;
  /** How its publisher feeds it: the market_data stream, the socket.io adapter's stream, or straight to the server (no Redis). */
  readonly publisherMode: 'stream' | 'socketio' | 'direct';
  /** Starts the server as its own process. */
  start(group: ProcessGroup, redisUrl: string): Promise<StartedServer>;
}

/** Environment of our gateway in the benchmark: every limit at its default (unless `overrides`). */
export function gatewayEnv(redisUrl: string, port: number, overrides: Readonly<Record<string, string>> = {}, instanceId = 'bench-gateway'): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    INSTANCE_ID: instanceId,
    LOG_LEVEL: 'warn',
    DASHBOARD_DIR: 'dist/apps/streaming-gateway/dashboard',
    ...overrides,
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!/\.(spec|int-spec)\.ts$/.test(name)) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * Builds the gateway (`node scripts/build-app.mjs streaming-gateway`) unless
 * dist/apps/streaming-gateway/main.js is newer than every source of the gateway and the
 * libraries, so a bench run does not rewrite a build another process may be running.
 */
export function ensureGatewayBuild(log: (line: string) => void): void {
  const sources = Math.max(newestMtime(join(ROOT, 'apps/streaming-gateway/src')), ...readdirSync(join(ROOT, 'libs')).map((lib) => newestMtime(join(ROOT, 'libs', lib, 'src'))));
  if (existsSync(GATEWAY_MAIN) && statSync(GATEWAY_MAIN).mtimeMs > sources) {
    log('gateway build is up to date: dist/apps/streaming-gateway/main.js');
    return;
  }
  log('building the gateway: node scripts/build-app.mjs streaming-gateway');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build-app.mjs'), 'streaming-gateway'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the gateway failed (exit ${result.status})`);
}

/** Starts one gateway process (its own instance id, so its own fan-out groups) and waits until `/readyz` answers 200. */
export async function startGateway(group: ProcessGroup, redisUrl: string, overrides: Readonly<Record<string, string>>, instanceId = 'bench-gateway'): Promise<StartedServer> {
  const port = await freePort();
  const server = group.start({
    name: instanceId,
    file: GATEWAY_HOST,
    nodeArgs: SERVER_NODE_ARGS,
    env: { ...SERVER_ENV, ...gatewayEnv(redisUrl, port, overrides, instanceId), BENCH_GATEWAY_MAIN: GATEWAY_MAIN },
  });
  await waitFor(
    async () => {
      if (!server.running) throw new Error(`the gateway exited:\n${server.recentOutput}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    },
    { timeoutMs: 60_000, intervalMs: 100, message: () => `the gateway to be ready:\n${server.recentOutput}` },
  );
  return { process: server, clientUrl: `ws://127.0.0.1:${port}/ws` };
}

async function startScriptServer(group: ProcessGroup, redisUrl: string, name: string, file: string, key: string, url: (port: number) => string): Promise<StartedServer> {
  const server = group.start({ name, file, nodeArgs: SERVER_NODE_ARGS, env: { ...SERVER_ENV, BENCH_REDIS_URL: redisUrl, BENCH_STREAM_KEY: key } });
  const { port, ingestPort } = await server.next('listening', 60_000);
  return { process: server, clientUrl: url(port), ingestUrl: ingestPort === undefined ? undefined : `ws://127.0.0.1:${ingestPort}/ingest` };
}

/** Our gateway (with `gatewayOverrides` in its environment), the socket.io peer, and the bare ws limit. */
export function sides(gatewayOverrides: Readonly<Record<string, string>> = {}): Side[] {
  return [
    {
      id: 'gateway',
      name: 'streaming gateway (ours)',
      clientsFile: join(__dirname, 'gateway-clients.ts'),
      publisherMode: 'stream',
      start: (group, redisUrl) => startGateway(group, redisUrl, gatewayOverrides),
    },
    {
      id: 'peer',
      name: 'socket.io + redis-streams-adapter (peer)',
      clientsFile: join(__dirname, 'socketio-clients.ts'),
      publisherMode: 'socketio',
      start: (group, redisUrl) => startScriptServer(group, redisUrl, 'peer server', join(__dirname, 'peer-server.ts'), PEER_STREAM_KEY, (port) => `http://127.0.0.1:${port}`),
    },
    {
      id: 'limit',
      name: 'bare ws broadcast, no Redis (limit)',
      clientsFile: join(__dirname, 'ws-clients.ts'),
      publisherMode: 'direct',
      start: (group, redisUrl) => startScriptServer(group, redisUrl, 'limit server', join(__dirname, 'limit-server.ts'), 'market_data', (port) => `ws://127.0.0.1:${port}/`),
    },
  ];
}
