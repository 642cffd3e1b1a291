import { Command } from 'ioredis';
import type { RedisConnection } from '../connection/redis-connection';
import type { Logger } from '../logging';
import { CacheTimeoutError } from './cache-errors';
import type { CacheMetrics } from './cache-metrics';
import { PendingWrites, type PendingWrite } from './pending-writes';
import { replayPendingWrites } from './replay-pending-writes';
import { withTimeout } from './with-timeout';
import { WriteCoalescer } from './write-coalescer';

/** Returned by {@link RedisGate.attempt} instead of a reply when Redis could not be used. */
export const UNAVAILABLE = Symbol('redis unavailable');

/** A reply, or {@link UNAVAILABLE}. */
export type Attempt<T> = T | typeof UNAVAILABLE;

/** Options for {@link RedisGate}. */
export interface RedisGateOptions {
  /** The command connection. */
  redis: RedisConnection;
  /** Cache namespace, logged with each state change. */
  namespace: string;
  /** Whether Redis is worth asking at all. */
  isRedisReady: () => boolean;
  /** Longest wait for one command (or one replay batch), in ms. */
  commandTimeoutMs: number;
  /** Most outage writes remembered. */
  maxPendingWrites: number;
  /** Counters of the cache (errors, replayed and dropped writes). */
  metrics: CacheMetrics;
  /** Where state changes are logged. */
  logger: Logger;
}

/**
 * How a {@link Cache} reaches Redis: it decides whether to ask Redis at all, bounds every
 * command in time, turns failures into {@link UNAVAILABLE} (counted, never thrown),
 * tracks degraded mode (logging each change of state once, not per call), and keeps the
 * outage writes that it replays before any later command, so they land first.
 */
export class RedisGate {
  private readonly pending: PendingWrites;
  /** Options of every {@link command}: text replies, and the connection's key prefix as ioredis would add it. */
  private readonly commandOptions: { replyEncoding: 'utf8'; keyPrefix?: string };
  private readonly writes: WriteCoalescer;
  private degraded = false;
  private replaying: Promise<boolean> | undefined;

  constructor(private readonly options: RedisGateOptions) {
    this.pending = new PendingWrites(options.maxPendingWrites);
    const { keyPrefix } = options.redis.options as { keyPrefix?: string };
    this.commandOptions = keyPrefix ? { replyEncoding: 'utf8', keyPrefix } : { replyEncoding: 'utf8' };
    this.writes = new WriteCoalescer(options.redis);
  }

  /** Whether the last attempt found Redis unreachable. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  /** Number of keys whose outage writes wait to be replayed. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  /** A stamp for a write about to be sent (see {@link PendingWrites.stamp}). */
  stamp(): number {
    return this.pending.stamp();
  }

  /** Remembers a write sent with stamp `seq` that could not reach Redis, for replay (the last-sent write per key wins). */
  remember(write: PendingWrite, seq: number): void {
    if (this.pending.add(write, seq)) this.options.metrics.droppedWrites.inc();
  }

  /** A write of `key` sent with stamp `seq` reached Redis: no outage write of that key sent before it is replayed. */
  landed(key: string, seq: number): void {
    if (this.pending.size > 0) this.pending.landed(key, seq);
  }

  /**
   * Sends one command (e.g. `get`, `[key]`) unless Redis is known to be unreachable, after
   * replaying the pending outage writes; never throws, like {@link attempt}. The path of
   * every `get`, `set` and `del`, so it costs what the command costs: the reply deadline is
   * the command's own ioredis timer (one per command, as on any command connection), not a
   * second timer and a promise race; and the commands of one tick leave in one socket write
   * ({@link WriteCoalescer}).
   */
  async command<T>(name: string, args: Array<string | number>): Promise<Attempt<T>> {
    if (!this.redisLooksReady()) return UNAVAILABLE;
    if (this.pending.size > 0 && !(await this.replay())) return UNAVAILABLE;
    const command = new Command(name, args, this.commandOptions);
    command.setTimeout(this.options.commandTimeoutMs);
    this.writes.cork();
    try {
      const reply = (await this.options.redis.sendCommand(command)) as T;
      if (this.degraded) this.setDegraded(false);
      return reply;
    } catch (error) {
      this.failed(isTimeout(error) ? new CacheTimeoutError(name.toUpperCase(), this.options.commandTimeoutMs) : error);
      return UNAVAILABLE;
    }
  }

  /**
   * Runs one Redis operation unless Redis is known to be unreachable, after replaying the
   * pending outage writes. Never throws: a failure or timeout is counted, switches to
   * degraded mode and returns {@link UNAVAILABLE}.
   */
  async attempt<T>(what: string, operation: (redis: RedisConnection) => Promise<T>): Promise<Attempt<T>> {
    if (!this.redisLooksReady()) return UNAVAILABLE;
    if (this.pending.size > 0 && !(await this.replay())) return UNAVAILABLE;
    try {
      const result = await withTimeout(operation(this.options.redis), this.options.commandTimeoutMs, what);
      this.setDegraded(false);
      return result;
    } catch (error) {
      this.failed(error);
      return UNAVAILABLE;
    }
  }

  private failed(error: unknown): void {
    this.options.metrics.errors.inc();
    this.setDegraded(true, error);
  }

  /** Replays the pending outage writes (one replay at a time); resolves whether all landed. */
  replay(): Promise<boolean> {
    if (this.replaying) return this.replaying;
    if (this.pending.size === 0) return Promise.resolve(true);
    if (!this.redisLooksReady()) return Promise.resolve(false);
    const { redis, commandTimeoutMs, metrics, logger, namespace } = this.options;
    this.replaying = (async () => {
      try {
        const count = await replayPendingWrites(redis, this.pending, commandTimeoutMs);
        metrics.replayedWrites.inc(count);
        logger.info({ namespace, count }, 'cache replayed the writes made during the Redis outage');
        this.setDegraded(false);
        return true;
      } catch (error) {
        this.failed(error);
        return false;
      } finally {
        this.replaying = undefined;
      }
    })();
    return this.replaying;
  }

  private redisLooksReady(): boolean {
    let ready: boolean;
    try {
      ready = this.options.isRedisReady();
    } catch {
      ready = false;
    }
    if (!ready) this.setDegraded(true);
    return ready;
  }

  private setDegraded(degraded: boolean, error?: unknown): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    const { logger, namespace } = this.options;
    if (degraded) {
      const reason = error instanceof Error ? error.message : 'connection not ready';
      logger.warn({ namespace, reason }, 'cache degraded mode: Redis unreachable, serving from the in-process LRU');
    } else {
      logger.info({ namespace }, 'cache recovered: Redis reachable again');
    }
  }
}

/** ioredis's error for a command whose timer ran out. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out';
}
