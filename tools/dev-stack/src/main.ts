// `npm start`: the whole stack on this machine. Uses REDIS_URL when set, otherwise starts a
// local redis-server with AOF under .data/, checks it with the doctor, and runs until Ctrl-C.
import { join, resolve } from 'node:path';
import { startLocalRedis } from './local-redis';
import type { ManagedProcess } from './managed-process';

const root = resolve(__dirname, '../../..');

async function main(): Promise<number> {
  const children: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping ${children.map((c) => c.name).join(', ') || 'nothing'}...`);
    for (const child of [...children].reverse()) await child.stop();
    console.log('Stopped.');
  };
  const stopped = new Promise<void>((resolveStopped) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void stopAll(signal).then(resolveStopped));
    }
  });

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

  const { spawnSync } = await import('node:child_process');
  const doctor = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(root, 'libs/redis-client/src/doctor/doctor-cli.ts')], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: 'inherit',
  });
  if (doctor.status !== 0) console.log(`The doctor found problems (exit ${doctor.status}); see its report above.`);

  console.log('\nThe stack is running. Press Ctrl-C to stop it.');
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
