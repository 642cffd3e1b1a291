import type { StartRedisOptions } from './start-redis-options';

/**
 * The `redis-server` arguments every node of a deployment gets from {@link StartRedisOptions}:
 * AOF (`appendonly yes`, fsync everysec) unless turned off, then the caller's `args`.
 */
export function nodeServerArgs(options: Pick<StartRedisOptions, 'appendonly' | 'args'>): string[] {
  const aof = (options.appendonly ?? true) ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : [];
  return [...aof, ...(options.args ?? [])];
}
