import type Redis from 'ioredis';

/** What Redis has done so far: CPU seconds (user + system) and calls per command, from INFO. */
export interface RedisStats {
  readonly cpuSeconds: number;
  readonly calls: ReadonlyMap<string, number>;
}

/** Reads INFO cpu and INFO commandstats (two commands, both counted by Redis under `info`). */
export async function redisStats(redis: Redis): Promise<RedisStats> {
  const cpu = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  const calls = new Map<string, number>();
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1] as string, Number(match[2]));
  return { cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), calls };
}

/** Commands Redis ran between two readings, by name, without those the benchmark sent itself (`own`: name → calls). */
export function commandsBetween(before: RedisStats, after: RedisStats, own: Readonly<Record<string, number>>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after.calls) {
    const count = calls - (before.calls.get(name) ?? 0) - (own[name] ?? 0);
    if (count > 0) delta.set(name, count);
  }
  return delta;
}

/** Sum of a command map. */
export function totalCommands(commands: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const calls of commands.values()) sum += calls;
  return sum;
}

/** `xread 12, evalsha 3, ...`: the busiest commands, for the report. */
export function topCommands(commands: ReadonlyMap<string, number>, count = 4): string {
  return [...commands.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, calls]) => `${name} ${calls.toLocaleString('en-US')}`)
    .join(', ');
}
