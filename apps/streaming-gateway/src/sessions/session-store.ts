import { join } from 'node:path';
import { keySlot, LuaScript, type RedisConnection } from '@rebal/redis-client';
import { decodeSessionRecord, encodeSessionRecord, sessionKey, type SessionRecord } from './session-record';

const SAVE_SESSION = new LuaScript(join(__dirname, 'save-session.lua'));

/** A Cluster connection (the member of `RedisConnection` with a slot table). */
type ClusterConnection = Extract<RedisConnection, { slots: unknown }>;

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Connection for the session keys. */
  readonly redis: RedisConnection;
  /** Key prefix of the deployment (default none): keys are `<prefix>session:<id>`. */
  readonly keyPrefix?: string;
  /** How long a session outlives its last write unless the write says otherwise, ms (a positive integer). */
  readonly ttlMs: number;
  /** Most writes sent in one pipeline by {@link SessionStore.saveMany} (default 500; a positive integer). */
  readonly pipelineSize?: number;
}

/** One write of {@link SessionStore.saveMany}. */
export interface SessionWrite {
  /** Session id. */
  readonly id: string;
  /** The connection writing. */
  readonly owner: string;
  /** The record as stored (`encodeSessionRecord`). */
  readonly data: string;
  /** True: the writer becomes the owner; false: written only while no other connection owns the session. */
  readonly takeOver: boolean;
  /** TTL this write sets, ms (default: the store's `ttlMs`). */
  readonly ttlMs?: number;
}

/** What became of one write: `saved`; `superseded` (another connection owns the session, nothing written); or the error. */
export type SessionWriteOutcome = 'saved' | 'superseded' | Error;

/** What {@link SessionStore.saveMany} did. */
export interface SessionBatchResult {
  /** One outcome per write, in the order of the writes. */
  readonly outcomes: readonly SessionWriteOutcome[];
  /** Pipelines sent. */
  readonly pipelines: number;
}

/** An option of `SessionStore` is invalid. */
export class SessionStoreOptionsError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_SESSION_STORE_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'SessionStoreOptionsError';
  }
}

/**
 * Gateway sessions in Redis, shared by every replica: one hash per session (`owner`, `data`)
 * with a TTL that each write sets. The owner is the connection currently using the
 * session, so an older connection's late writes cannot overwrite a newer one's positions.
 * Each write is one call of `save-session.lua` (the library's `LuaScript`: EVALSHA, EVAL the
 * first time on a socket or after the server lost its scripts) on one key, so it is
 * Cluster-safe alone and in any pipeline.
 */
export class SessionStore {
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly pipelineSize: number;
  /** TTL of every session, ms. */
  readonly ttlMs: number;

  constructor(options: SessionStoreOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new SessionStoreOptionsError(`ttlMs must be a positive whole number of ms (got ${String(options.ttlMs)})`);
    }
    const pipelineSize = options.pipelineSize ?? 500;
    if (!Number.isSafeInteger(pipelineSize) || pipelineSize < 1) {
      throw new SessionStoreOptionsError(`pipelineSize must be a positive whole number (got ${String(pipelineSize)})`);
    }
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? '';
    this.ttlMs = options.ttlMs;
    this.pipelineSize = pipelineSize;
  }

  /** The stored session, or undefined when it expired, never existed or is unreadable. */
  async load(id: string): Promise<SessionRecord | undefined> {
    return decodeSessionRecord(await this.redis.hget(sessionKey(id, this.prefix), 'data'));
  }

  /**
   * Writes the session and sets its TTL (`ttlMs`, default the store's). With `takeOver` the
   * writer becomes its owner; otherwise the write is skipped, resolving false, when another
   * connection owns it.
   */
  async save(id: string, owner: string, record: SessionRecord, takeOver: boolean, ttlMs = this.ttlMs): Promise<boolean> {
    return (await this.saveOne({ id, owner, data: encodeSessionRecord(record), takeOver, ttlMs })) === 'saved';
  }

  /**
   * Sends many writes together: pipelines of at most `pipelineSize` script calls, one after the
   * other (on a Cluster, one pipeline per node: ioredis refuses a pipeline whose keys live on
   * different nodes). Writes redirected by a Cluster (slots moving) are sent again one by one.
   * Never rejects: a failed write has its error as its outcome.
   */
  async saveMany(writes: readonly SessionWrite[]): Promise<SessionBatchResult> {
    const outcomes: SessionWriteOutcome[] = new Array<SessionWriteOutcome>(writes.length);
    let pipelines = 0;
    for (const group of this.groupByNode(writes)) {
      for (let start = 0; start < group.length; start += this.pipelineSize) {
        pipelines += await this.sendChunk(writes, group.slice(start, start + this.pipelineSize), outcomes);
      }
    }
    return { outcomes, pipelines };
  }

  private async saveOne(write: SessionWrite): Promise<'saved' | 'superseded'> {
    return outcomeOf(await SAVE_SESSION.run(this.redis, [sessionKey(write.id, this.prefix)], this.argsOf(write)));
  }

  /** Indexes of `writes` per Cluster node (by the slot table ioredis knows now); one group on a single server. */
  private groupByNode(writes: readonly SessionWrite[]): number[][] {
    const indexes = writes.map((_, index) => index);
    if (!this.redis.isCluster) return [indexes];
    const { slots } = this.redis as ClusterConnection;
    const groups = new Map<string, number[]>();
    for (const index of indexes) {
      const node = slots[keySlot(sessionKey(writes[index].id, this.prefix))]?.join(';') ?? '';
      const group = groups.get(node);
      if (group) group.push(index);
      else groups.set(node, [index]);
    }
    return [...groups.values()];
  }

  /** Sends one chunk (and its redirection retries); fills `outcomes`; resolves with the pipelines sent. */
  private async sendChunk(writes: readonly SessionWrite[], chunk: readonly number[], outcomes: SessionWriteOutcome[]): Promise<number> {
    const redirected: number[] = [];
    const replies = await this.pipelined(chunk.map((index) => writes[index]));
    chunk.forEach((index, n) => {
      const reply = replies[n];
      if (isRedirection(reply)) redirected.push(index);
      else outcomes[index] = reply instanceof Error ? reply : outcomeOf(reply);
    });
    // Single commands follow MOVED and ASK themselves.
    await Promise.all(
      redirected.map(async (index) => {
        outcomes[index] = await this.saveOne(writes[index]).catch(asError);
      }),
    );
    return 1;
  }

  /** One pipeline of script calls: each write's reply, or its error (a refused pipeline: that error for every write). */
  private async pipelined(writes: readonly SessionWrite[]): Promise<unknown[]> {
    const pipeline = this.redis.pipeline();
    for (const write of writes) SAVE_SESSION.queue(pipeline, [sessionKey(write.id, this.prefix)], this.argsOf(write));
    try {
      const results = (await pipeline.exec()) ?? [];
      return writes.map((_, n) => {
        const result = results[n];
        if (!result) return new Error('the pipeline returned no reply for this write');
        return result[0] ?? result[1];
      });
    } catch (error) {
      const failure = asError(error);
      return writes.map(() => failure);
    }
  }

  private argsOf(write: SessionWrite): string[] {
    return [write.owner, write.data, String(Math.max(1, Math.ceil(write.ttlMs ?? this.ttlMs))), write.takeOver ? '1' : '0'];
  }
}

function outcomeOf(reply: unknown): 'saved' | 'superseded' {
  return Number(reply) === 1 ? 'saved' : 'superseded';
}

/**
 * A Cluster sent the write elsewhere (MOVED, ASK), or ioredis refused the pipeline because the
 * slot table changed between grouping and sending: worth one more try as a single command.
 */
function isRedirection(error: unknown): boolean {
  return error instanceof Error && (/^(MOVED|ASK) /.test(error.message) || error.message.includes('should belong to the same slot'));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
