import { setTimeout as delay } from 'node:timers/promises';
import type { RedisConnection } from '../connection/redis-connection';
import { decodeCacheValue, encodeCacheValue } from './cache-codec';
import { CacheClosedError } from './cache-errors';
import { assertCacheKey, cacheLockKey } from './cache-key';
import { acquireLock, isLocked, newLockToken, releaseLock } from './cache-lock';
import { createCacheMetrics, type CacheMetrics } from './cache-metrics';
import { resolveCacheOptions, type CacheOptions, type ResolvedCacheOptions } from './cache-options';
import { assertTtlSeconds } from './cache-ttl';
import { FallbackStore } from './fallback-store';
import { onConnectionReady } from './on-connection-ready';
import { pollDelayMs } from './poll-backoff';
import { RedisGate, UNAVAILABLE, type Attempt } from './redis-gate';

/**
 * Longest time the fallback keeps a value it only read, counted from the read (shorter when
 * the namespace's `defaultTtlSeconds` is): a GET does not tell the key's TTL, and asking for
 * it would cost every read.
 */
export const FALLBACK_READ_TTL_MS = 60_000;

/**
 * A JSON cache in Redis under `cache:<namespace>:<key>`, every key with a TTL, that keeps
 * serving from an in-process LRU while Redis is unreachable.
 *
 * - `wrap` loads a missing value once: one loader call per key in this process (concurrent
 *   callers share one promise) and across processes (a `SET NX PX` lock; other processes
 *   poll for the value instead of loading, and take over if the holder dies).
 * - Degraded mode: when `isRedisReady()` is false, or a command fails or times out, reads
 *   come from the LRU, writes go to the LRU and never throw, and `wrap` loads locally. The
 *   LRU holds a copy of this process's recent writes, each until the expiry it gave the
 *   Redis key, and of its recent reads, each for at most {@link FALLBACK_READ_TTL_MS} (or
 *   `defaultTtlSeconds` when shorter) after the read that found it: in an outage a value
 *   this process only read may be served that long even if its key would have expired in
 *   Redis sooner. A `get` is one GET: it never asks Redis for the TTL. The first failure logs
 *   `cache degraded mode` once; recovery logs once too.
 * - Convergence rule: `set` and `del` calls made during an outage are remembered (per
 *   key, the last write issued wins, also over a later write that did reach Redis) and replayed to Redis, with their remaining TTL, as soon as Redis
 *   is reachable again (on the connection's `ready` event, or before the next command).
 *   A replayed write overwrites whatever other processes wrote to that key meanwhile; an
 *   outage write that expired before Redis came back deletes the key. Values loaded by
 *   `wrap` during an outage stay in this process's LRU only (another process may have
 *   loaded a fresher one into Redis). Once replayed, Redis is the truth again and the LRU
 *   is only a fallback.
 */
export class Cache {
  private readonly options: ResolvedCacheOptions;
  private readonly redis: RedisConnection;
  private readonly metrics: CacheMetrics;
  private readonly fallback: FallbackStore;
  private readonly gate: RedisGate;
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** `cache:<namespace>:`, checked once. */
  private readonly keyPrefix: string;
  /** How long a value read from Redis stays in the fallback. */
  private readonly readCopyTtlMs: number;
  private readonly unsubscribe: () => void;
  private closing: Promise<void> | undefined;

  constructor(options: CacheOptions) {
    this.options = resolveCacheOptions(options);
    this.redis = this.options.redis;
    this.keyPrefix = `cache:${this.options.namespace}:`;
    this.readCopyTtlMs = Math.min(FALLBACK_READ_TTL_MS, this.options.defaultTtlSeconds * 1000);
    this.metrics = createCacheMetrics(this.options.namespace, this.options.registry);
    this.fallback = new FallbackStore({ maxEntries: this.options.fallbackMaxEntries });
    this.gate = new RedisGate({
      redis: this.redis,
      namespace: this.options.namespace,
      isRedisReady: this.options.isRedisReady,
      commandTimeoutMs: this.options.commandTimeoutMs,
      maxPendingWrites: this.options.fallbackMaxEntries,
      metrics: this.metrics,
      logger: this.options.logger,
    });
    // Replay outage writes as soon as the connection is back, not only on the next call.
    this.unsubscribe = onConnectionReady(this.redis, () => {
      if (!this.closing && this.gate.pendingWrites > 0) void this.gate.replay();
    });
  }

  /** The namespace of every key of this cache. */
  get namespace(): string {
    return this.options.namespace;
  }

  /** Whether the cache is serving from its in-process LRU because Redis was unreachable. */
  get isDegraded(): boolean {
    return this.gate.isDegraded;
  }

  /** Number of keys whose outage writes still wait to be replayed to Redis. */
  get pendingWrites(): number {
    return this.gate.pendingWrites;
  }

  /** The cached value of `key`, or `undefined` on a miss. */
  async get<T>(key: string): Promise<T | undefined> {
    const fullKey = this.keyOf(key);
    const json = this.served(fullKey, await this.gate.command<string | null>('get', [fullKey]));
    const value = json === undefined ? undefined : decodeCacheValue<T>(json);
    (value === undefined ? this.metrics.misses : this.metrics.hits).inc();
    return value;
  }

  /**
   * Stores `value` as JSON for `ttlSeconds` (default `defaultTtlSeconds`). Throws
   * `CacheValueError` for `undefined` and other non-JSON values, `CacheTtlError` for a bad
   * TTL; never throws because Redis is unreachable.
   */
  set<T>(key: string, value: T, ttlSeconds: number = this.options.defaultTtlSeconds): Promise<void> {
    try {
      const fullKey = this.keyOf(key);
      assertTtlSeconds(ttlSeconds);
      return this.write(fullKey, encodeCacheValue(value), ttlSeconds * 1000, true);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Removes `key`; never throws because Redis is unreachable. */
  async del(key: string): Promise<void> {
    const fullKey = this.keyOf(key);
    const seq = this.gate.stamp();
    const reply = await this.gate.command('del', [fullKey]);
    this.fallback.delete(fullKey);
    if (reply === UNAVAILABLE) this.gate.remember({ op: 'del', key: fullKey }, seq);
    else this.gate.landed(fullKey, seq);
  }

  /**
   * The cached value of `key`; on a miss, `loader()`'s result, stored for `ttlSeconds`.
   * The loader runs once per miss across every caller of this process and of every other
   * process sharing the Redis. Its errors reach every caller of this process and are not
   * cached (other processes then retry with their own loader); an `undefined` result
   * rejects with `CacheValueError`. Callers that join a load already running in this
   * process count as one hit or miss. A caller that waited `lockWaitMs` for another
   * process's load without seeing the value loads it itself.
   */
  wrap<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    try {
      const fullKey = this.keyOf(key);
      assertTtlSeconds(ttlSeconds);
      const running = this.inflight.get(fullKey);
      if (running) return running as Promise<T>;
      const flight = this.load(key, fullKey, ttlSeconds * 1000, loader).finally(() => this.inflight.delete(fullKey));
      this.inflight.set(fullKey, flight);
      return flight;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Stops reacting to reconnects and, when Redis is reachable, replays pending outage
   * writes one last time. Later calls reject with `CacheClosedError`. Idempotent; the
   * connection stays open (the cache does not own it).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unsubscribe();
      if (this.gate.pendingWrites > 0) await this.gate.replay();
    })();
    return this.closing;
  }

  private keyOf(key: string): string {
    if (this.closing) throw new CacheClosedError(this.options.namespace);
    assertCacheKey(key);
    return this.keyPrefix + key;
  }

  private async load<T>(key: string, fullKey: string, ttlMs: number, loader: () => Promise<T>): Promise<T> {
    const json = await this.read(fullKey);
    const cached = json === undefined ? undefined : decodeCacheValue<T>(json);
    if (cached !== undefined) {
      this.metrics.hits.inc();
      return cached;
    }
    this.metrics.misses.inc();
    const lockKey = cacheLockKey(this.options.namespace, key);
    const deadline = Date.now() + this.options.lockWaitMs;
    let countedWait = false;
    for (;;) {
      const token = newLockToken();
      const acquired = await this.gate.attempt('SET NX (lock)', (redis) => acquireLock(redis, lockKey, token, this.options.lockTtlMs));
      if (acquired === UNAVAILABLE) return this.loadAndStore(fullKey, ttlMs, loader);
      if (acquired) return this.loadHoldingLock(fullKey, lockKey, token, ttlMs, loader);
      if (!countedWait) {
        countedWait = true;
        this.metrics.lockWaits.inc();
      }
      const outcome = await this.waitForHolder<T>(fullKey, lockKey, deadline);
      if (outcome.kind === 'value') return outcome.value;
      if (outcome.kind === 'load') {
        if (outcome.reason === 'timeout') {
          this.options.logger.debug({ namespace: this.namespace, key }, 'cache wrap: waited lockWaitMs for another load, loading here');
        }
        return this.loadAndStore(fullKey, ttlMs, loader);
      }
      // The lock is gone without a value (holder died or its loader failed): try to take over.
    }
  }

  /** Polls the value key while another process holds the lock. */
  private async waitForHolder<T>(
    fullKey: string,
    lockKey: string,
    deadline: number,
  ): Promise<{ kind: 'value'; value: T } | { kind: 'unlocked' } | { kind: 'load'; reason: 'timeout' | 'unavailable' }> {
    for (let poll = 0; ; poll++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { kind: 'load', reason: 'timeout' };
      await delay(pollDelayMs(poll, remaining));
      // Lock first, value second: a holder stores the value before it releases the lock,
      // so "no lock, no value" really means nobody is loading.
      const locked = await this.gate.attempt('EXISTS (lock)', (redis) => isLocked(redis, lockKey));
      if (locked === UNAVAILABLE) return { kind: 'load', reason: 'unavailable' };
      const json = await this.readRedis(fullKey);
      if (json === UNAVAILABLE) return { kind: 'load', reason: 'unavailable' };
      const value = json === null ? undefined : decodeCacheValue<T>(json);
      if (value !== undefined) return { kind: 'value', value };
      if (!locked) return { kind: 'unlocked' };
    }
  }

  private async loadHoldingLock<T>(
    fullKey: string,
    lockKey: string,
    token: string,
    ttlMs: number,
    loader: () => Promise<T>,
  ): Promise<T> {
    try {
      // Another holder may have stored the value between our miss and our lock.
      const json = await this.readRedis(fullKey);
      const value = typeof json === 'string' ? decodeCacheValue<T>(json) : undefined;
      if (value !== undefined) return value;
      return await this.loadAndStore(fullKey, ttlMs, loader);
    } finally {
      // A failed release is harmless: the lock expires after lockTtlMs.
      await this.gate.attempt('EVALSHA (unlock)', (redis) => releaseLock(redis, lockKey, token));
    }
  }

  private async loadAndStore<T>(fullKey: string, ttlMs: number, loader: () => Promise<T>): Promise<T> {
    this.metrics.loads.inc();
    const value = await loader();
    await this.write(fullKey, encodeCacheValue(value), ttlMs, false);
    return value;
  }

  /** Reads from Redis (keeping an LRU copy), or from the LRU when Redis is unreachable. */
  private async read(fullKey: string): Promise<string | undefined> {
    return this.served(fullKey, await this.gate.command<string | null>('get', [fullKey]));
  }

  /** What a read serves for the GET reply `reply`: the value, or (Redis unreachable) the LRU's copy; keeps or drops that copy. */
  private served(fullKey: string, reply: Attempt<string | null>): string | undefined {
    if (reply === UNAVAILABLE) {
      this.metrics.fallbackReads.inc();
      return this.fallback.get(fullKey)?.json;
    }
    return this.kept(fullKey, reply) ?? undefined;
  }

  /** GET of one key; keeps or drops the LRU copy. */
  private async readRedis(fullKey: string): Promise<Attempt<string | null>> {
    const json = await this.gate.command<string | null>('get', [fullKey]);
    return json === UNAVAILABLE ? UNAVAILABLE : this.kept(fullKey, json);
  }

  /** Keeps the LRU copy of a value Redis returned, or drops it when Redis has none; returns `json`. */
  private kept(fullKey: string, json: string | null): string | null {
    if (json === null) this.fallback.delete(fullKey);
    else this.fallback.keepRead(fullKey, json, this.readCopyTtlMs);
    return json;
  }

  /** SET with a TTL; always keeps an LRU copy; remembers it for replay if Redis is down and `replayIfDown`. */
  private async write(fullKey: string, json: string, ttlMs: number, replayIfDown: boolean): Promise<void> {
    const seq = this.gate.stamp();
    const reply = await this.gate.command('set', [fullKey, json, 'PX', ttlMs]);
    const entry = this.fallback.set(fullKey, json, ttlMs);
    if (reply !== UNAVAILABLE) this.gate.landed(fullKey, seq);
    else if (replayIfDown && entry) this.gate.remember({ op: 'set', key: fullKey, json, expiresAt: entry.expiresAt }, seq);
  }
}
