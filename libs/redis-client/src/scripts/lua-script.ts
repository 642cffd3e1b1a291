import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisConnection } from '../connection/redis-connection';

/**
 * A Lua script of this library, run with EVALSHA and sent whole only when the server lacks
 * it. Every script has exactly one key, so a Cluster routes it by that key.
 */
export class LuaScript {
  private readonly source: string;
  private readonly sha: string;

  /** @param path the `.lua` file, e.g. `join(__dirname, 'release-lock.lua')` (the app bundles copy them beside main.js) */
  constructor(path: string) {
    this.source = readFileSync(path, 'utf8');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  /**
   * Runs the script on the node that owns `key` (its only key): EVALSHA, and EVAL when the
   * server does not have the script yet (first use, or after a restart).
   */
  async run(redis: RedisConnection, key: string, ...args: string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, 1, key, ...args);
    }
  }
}
