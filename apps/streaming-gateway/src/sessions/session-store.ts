import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisConnection } from '@rebal/redis-client';
import { decodeSessionRecord, encodeSessionRecord, sessionKey, type SessionRecord } from './session-record';

const SAVE_SCRIPT = readFileSync(join(__dirname, 'save-session.lua'), 'utf8');
const SAVE_SHA = createHash('sha1').update(SAVE_SCRIPT).digest('hex');

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Connection for the session keys. */
  readonly redis: RedisConnection;
  /** Key prefix of the deployment (default none): keys are `<prefix>session:<id>`. */
  readonly keyPrefix?: string;
  /** How long a session outlives its last write, ms (a positive integer). */
  readonly ttlMs: number;
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
 * with a TTL that each write renews. The owner is the connection currently using the
 * session, so an older connection's late writes cannot overwrite a newer one's positions.
 */
export class SessionStore {
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  /** TTL of every session, ms. */
  readonly ttlMs: number;

  constructor(options: SessionStoreOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) {
      throw new SessionStoreOptionsError(`ttlMs must be a positive whole number of ms (got ${String(options.ttlMs)})`);
    }
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? '';
    this.ttlMs = options.ttlMs;
  }

  /** The stored session, or undefined when it expired, never existed or is unreadable. */
  async load(id: string): Promise<SessionRecord | undefined> {
    return decodeSessionRecord(await this.redis.hget(sessionKey(id, this.prefix), 'data'));
  }

  /**
   * Writes the session and renews its TTL. With `takeOver` the writer becomes its owner;
   * otherwise the write is skipped, resolving false, when another connection owns it.
   */
  async save(id: string, owner: string, record: SessionRecord, takeOver: boolean): Promise<boolean> {
    const key = sessionKey(id, this.prefix);
    const args = [owner, encodeSessionRecord(record), String(this.ttlMs), takeOver ? '1' : '0'];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(SAVE_SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await this.redis.eval(SAVE_SCRIPT, 1, key, ...args);
    }
    return Number(reply) === 1;
  }
}
