import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from '../connection/redis-connection';

/** A pipeline or transaction of a {@link RedisConnection}: what `redis.pipeline()` and `redis.multi()` return. */
export type RedisPipeline = ChainableCommander;

/** A script command as ioredis `defineCommand` installs it: `numkeys, ...keys, ...args`. */
type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: Array<string | number>) => unknown;

/**
 * A Lua script kept in a `.lua` file (with its KEYS / ARGV / reply header), registered on each
 * connection that runs it through ioredis `defineCommand`, the way bullmq registers its
 * scripts (`src/classes/redis-connection.ts`). This is the one way the codebase runs Lua.
 *
 * ioredis then sends the whole script (EVAL) the first time it runs on a socket and EVALSHA
 * after that; a NOSCRIPT reply (the server restarted, failed over or was flushed under a live
 * socket) is answered by sending the script again, once, inside ioredis. Nobody else handles
 * NOSCRIPT. It works alike on a single server, Sentinel and Cluster (each command goes to the
 * node owning its keys, and each node's socket loads the script for itself), and in pipelines
 * and MULTI.
 *
 * How an app (or the library) uses it:
 * ```ts
 * // apps/<app>/src/<area>/renew-lease.lua sits beside this module; scripts/build-app.mjs
 * // copies every .lua file of the bundle next to main.js, so __dirname finds it in both.
 * import { join } from 'node:path';
 * import { LuaScript } from '@rebal/redis-client';
 *
 * const RENEW = new LuaScript(join(__dirname, 'renew-lease.lua'));
 *
 * const reply = await RENEW.run(redis, [leaseKey], [token, ttlMs]);
 *
 * const pipeline = redis.pipeline();
 * for (const write of writes) RENEW.queue(pipeline, [write.key], [write.token, ttlMs]);
 * const replies = await pipeline.exec(); // [error, reply] per queued call, in order
 * ```
 * Every key a script touches must be passed in `keys`, and on a Cluster they must share one
 * hash slot (tag them `{...}`); `args` are strings or numbers.
 */
export class LuaScript {
  /** The file name, e.g. `renew-lease.lua`. */
  readonly name: string;
  /** SHA-1 of the script text, as EVALSHA and `SCRIPT EXISTS` know it. */
  readonly sha: string;
  private readonly lua: string;
  /** The name it is registered under on a connection: one per script text, so copies share it. */
  private readonly command: string;

  /**
   * Reads the script (once, at construction: create it at module level).
   * @param path the `.lua` file, e.g. `join(__dirname, 'release-lock.lua')`
   */
  constructor(path: string) {
    this.name = basename(path);
    this.lua = readFileSync(path, 'utf8');
    this.sha = createHash('sha1').update(this.lua).digest('hex');
    this.command = `lua_${this.sha}`;
  }

  /** Runs the script with `keys` (all in one hash slot) and `args`; resolves with its reply. */
  run(redis: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number> = []): Promise<unknown> {
    return this.commandOf(redis).call(redis, keys.length, ...keys, ...args) as Promise<unknown>;
  }

  /**
   * Adds a run of the script to `pipeline` (from `redis.pipeline()` or `redis.multi()`); its
   * reply comes with the others from `exec()`. Returns the pipeline, for chaining.
   */
  queue(pipeline: RedisPipeline, keys: readonly string[], args: ReadonlyArray<string | number> = []): RedisPipeline {
    // A pipeline knows only the commands its connection had when it was created: register on
    // the connection, and run the connection's command with the pipeline as its target.
    const { redis } = pipeline as unknown as { redis: RedisConnection };
    this.commandOf(redis).call(pipeline, keys.length, ...keys, ...args);
    return pipeline;
  }

  /** The script's command on `redis`, registered on first use. */
  private commandOf(redis: RedisConnection): ScriptCommand {
    const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
    const existing = commands[this.command];
    if (existing) return existing;
    redis.defineCommand(this.command, { lua: this.lua });
    return commands[this.command] as ScriptCommand;
  }
}
