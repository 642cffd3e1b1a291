// Counting Redis commands without MONITOR: the server's INFO commandstats, and the client
// calls a test makes through one connection.
import type { RedisConnection } from '@rebal/redis-client';

/** A Cluster connection (the member of `RedisConnection` with `nodes()`). */
type ClusterConnection = Extract<RedisConnection, { slots: unknown }>;

/** EVALSHA and EVAL calls Redis executed so far (summed over the masters of a Cluster), from INFO commandstats. */
export async function evalCalls(redis: RedisConnection): Promise<{ evalsha: number; eval: number }> {
  const nodes = redis.isCluster ? (redis as ClusterConnection).nodes('master') : [redis];
  const totals = { evalsha: 0, eval: 0 };
  for (const node of nodes) {
    const info = await node.info('commandstats');
    for (const name of ['evalsha', 'eval'] as const) {
      const calls = new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(info)?.[1];
      totals[name] += Number(calls ?? 0);
    }
  }
  return totals;
}

type Counted = 'pipeline' | 'evalsha' | 'eval';

/** Counts the connection's `pipeline()`, `evalsha()` and `eval()` calls until `restore()`. */
export function spyOnCommands(redis: RedisConnection): { counts(): { pipelines: number; evalsha: number; eval: number }; restore(): void } {
  const counts = { pipelines: 0, evalsha: 0, eval: 0 };
  const target = redis as unknown as Record<Counted, (...args: unknown[]) => unknown>;
  const names: Counted[] = ['pipeline', 'evalsha', 'eval'];
  for (const name of names) {
    const original = target[name];
    target[name] = (...args: unknown[]) => {
      counts[name === 'pipeline' ? 'pipelines' : name]++;
      return original.apply(redis, args);
    };
  }
  return {
    counts: () => ({ ...counts }),
    // The originals live on the prototype: removing the instance's wrappers restores them.
    restore: () => names.forEach((name) => delete (target as Partial<Record<Counted, unknown>>)[name]),
  };
}
