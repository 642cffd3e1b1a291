// Run as its own process by cache-processes.int-spec.ts: one "service replica" that calls
// `cache.wrap` CALLS times at once for the same missing key. Its loader counts itself in Redis
// (INCR LOADS_KEY) and returns only once the test sets RELEASE_KEY, so the test decides when the
// load ends. Prints JSON lines: {"event":"waiting"} once this process waits for another one's
// load, then {"event":"done","values":[...]} with what every call returned.
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { Cache } from '../cache';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1 });
  const registry = new Registry();
  const cache = new Cache({ redis, namespace: env('NAMESPACE'), registry });
  const loader = async (): Promise<{ loadedBy: number }> => {
    await redis.incr(env('LOADS_KEY'));
    while (!(await redis.exists(env('RELEASE_KEY')))) await new Promise((resolve) => setTimeout(resolve, 10));
    return { loadedBy: process.pid };
  };
  const calls = Array.from({ length: Number(env('CALLS')) }, () => cache.wrap(env('KEY'), 60, loader));
  const all = Promise.all(calls);
  let settled = false;
  void all.finally(() => (settled = true));
  // Tell the test once this process is waiting for another process's load (a concurrent miss).
  while (!settled) {
    const waits = (await registry.getSingleMetric('rebal_cache_lock_waits_total')?.get())?.values[0]?.value ?? 0;
    if (waits > 0) {
      process.stdout.write(`${JSON.stringify({ event: 'waiting' })}\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const values = await all;
  process.stdout.write(`${JSON.stringify({ event: 'done', values })}\n`);
  await cache.close();
  await redis.quit();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
