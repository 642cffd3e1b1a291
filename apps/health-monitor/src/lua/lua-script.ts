import { createHash } from 'node:crypto';
import type { RedisConnection } from '@rebal/redis-client';

/**
 * A Lua script run with EVALSHA, sent whole (EVAL) only when the server lacks it (first use,
 * after a restart or a failover). The module that owns the `.lua` file reads it with
 * `readFileSync(join(__dirname, '<name>.lua'), 'utf8')` and hands the text here.
 */
export class LuaScript {
  private readonly sha: string;

  /**
   * @param name the script's file name, for errors
   * @param source the script text
   */
  constructor(
    readonly name: string,
    private readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` (all in one hash slot) and `args`; resolves with its reply. */
  async run(redis: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
