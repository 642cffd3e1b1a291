import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { ManagedProcess } from './managed-process';

/** Options for {@link startLocalRedis}. */
export interface LocalRedisOptions {
  /** Data directory, `REBAL_DATA_DIR` (the AOF lives in its `redis/` folder so alerts survive a restart of the stack). */
  dataDir: string;
  /** Port on 127.0.0.1 (default 6379). */
  port: number;
  /** redis-server binary (default `redis-server`). */
  binary?: string;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the stack's own redis-server: loopback only, AOF on (fsync every second), no
 * eviction, data under `<dataDir>/redis`, in a process group of its own (a Ctrl-C at the
 * terminal reaches the services, not Redis: `stop()` ends it last). Resolves once it accepts
 * connections.
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<{ process: ManagedProcess; url: string }> {
  if (await portInUse(options.port)) {
    throw new Error(
      `port ${options.port} is already in use. Stop the other Redis, or use it with ` +
        `REDIS_URL=redis://127.0.0.1:${options.port}/0 npm start, or pick another port with REDIS_PORT=6380 npm start`,
    );
  }
  const dir = join(options.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const redis = new ManagedProcess({
    name: 'redis',
    command: options.binary ?? 'redis-server',
    args: [
      '--bind', '127.0.0.1',
      '--port', String(options.port),
      '--dir', dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--save', '',
      '--daemonize', 'no',
      '--logfile', '',
    ],
    // Ctrl-C must not reach Redis: the stack stops it after the services that use it.
    ownProcessGroup: true,
    onLine: (line) => {
      if (line.includes('Ready to accept connections')) markReady();
    },
  });
  const outcome = await Promise.race([ready.then(() => 'ready' as const), redis.exited]);
  if (outcome !== 'ready') throw new Error(`redis-server exited before it was ready (${outcome}); see its log above`);
  return { process: redis, url: `redis://127.0.0.1:${options.port}/0` };
}
