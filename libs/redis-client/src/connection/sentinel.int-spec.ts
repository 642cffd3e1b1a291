import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRedisTestServer, freePort, RedisServerProcess, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { parseRedisConfig } from '../config';
import { createRedisConnection } from './create-redis-connection';
import type { RedisConnection } from './redis-connection';
import { waitUntilReady } from './wait-until-ready';

/**
 * One `redis-server --sentinel` process monitoring `masterPort` as `mymaster`. Sentinel never
 * prints "Ready to accept connections" (what RedisServerProcess waits for), so it is spawned
 * here and counted ready once it logs that it monitors the master.
 */
async function startSentinel(options: { port: number; masterPort: number; masterPassword: string; password: string; dir: string }): Promise<ChildProcess> {
  const configFile = join(options.dir, 'sentinel.conf');
  // Sentinel rewrites its config file, so it must be a real, writable file; the passwords
  // live there rather than on the command line, where `ps` would show them.
  writeFileSync(configFile, [
    `requirepass ${options.password}`,
    `sentinel monitor mymaster 127.0.0.1 ${options.masterPort} 1`,
    `sentinel auth-pass mymaster ${options.masterPassword}`,
  ].join('\n') + '\n');
  // The same software as the master: in the Valkey pass, a Valkey Sentinel.
  const child = spawn(detectRedisTestServer().binary, [
    configFile, '--sentinel',
    '--bind', '127.0.0.1', '--port', String(options.port), '--dir', options.dir, '--logfile', '', '--daemonize', 'no',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sentinel not ready:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('+monitor master mymaster')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sentinel exited with code ${code}:\n${output}`));
    });
  });
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('createRedisConnection (Sentinel)', () => {
  const masterPassword = 'Master-Pa55';
  const sentinelPassword = 'Sentinel-Pa55';
  let dir: string;
  let master: RedisServerProcess;
  let sentinel: ChildProcess | undefined;
  let sentinelPort: number;
  const connections: RedisConnection[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rebal-sentinel-'));
    master = new RedisServerProcess({ port: await freePort(), config: `requirepass ${masterPassword}` });
    await master.start();
    sentinelPort = await freePort();
    sentinel = await startSentinel({ port: sentinelPort, masterPort: master.port, masterPassword, password: sentinelPassword, dir });
  }, 30_000);

  afterAll(async () => {
    for (const conn of connections) conn.disconnect();
    await stopProcess(sentinel);
    await master?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  function sentinelEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      // The host of REDIS_URL is not used with Sentinels: the master's address comes from them.
      REDIS_URL: `redis://:${masterPassword}@unused.invalid:1/2`,
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: sentinelPassword,
      ...overrides,
    };
  }

  it('finds the master through the Sentinel and uses the password and db index from REDIS_URL', async () => {
    const config = parseRedisConfig(sentinelEnv());
    expect(config.main.mode).toBe('sentinel');
    const conn = createRedisConnection(config.main, { name: 'via-sentinel' });
    connections.push(conn);
    await waitUntilReady(conn, 10_000);
    await conn.set('sentinel-spec:key', 'through-sentinel');
    expect(await conn.client('GETNAME')).toBe('rebal:via-sentinel');

    const direct = new Redis({ port: master.port, password: masterPassword, db: 2, lazyConnect: true });
    try {
      await direct.connect();
      expect(await direct.get('sentinel-spec:key')).toBe('through-sentinel');
      await direct.select(0);
      expect(await direct.get('sentinel-spec:key')).toBeNull();
    } finally {
      direct.disconnect();
    }
  }, 20_000);

  it('reconnects through the Sentinel after the master restarts', async () => {
    const conn = createRedisConnection(parseRedisConfig(sentinelEnv()).main, { retry: { baseMs: 20, maxMs: 200 } });
    connections.push(conn);
    await waitUntilReady(conn, 10_000);
    await master.restart();
    await waitFor(async () => (await conn.ping().catch(() => undefined)) === 'PONG', { timeoutMs: 10_000 });
  }, 30_000);

  it('reports a wrong Sentinel password without showing it', async () => {
    const conn = createRedisConnection(parseRedisConfig(sentinelEnv({ REDIS_SENTINEL_PASSWORD: 'Wrong-Sentinel-Pw' })).main, {
      retry: { baseMs: 20, maxMs: 200 },
    });
    connections.push(conn);
    const error = await waitUntilReady(conn, 1_000).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain(`sentinel master mymaster`);
    expect(error?.message).toMatch(/All sentinels are unreachable.*WRONGPASS/);
    expect(error?.message).not.toContain('Wrong-Sentinel-Pw');
    expect(error?.message).not.toContain(masterPassword);
  }, 20_000);
});
