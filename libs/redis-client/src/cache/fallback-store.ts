import { LRUCache } from 'lru-cache';

/** One value held in the in-process fallback: its JSON text and when it expires. */
export interface FallbackEntry {
  /** The value as stored in Redis (JSON text). */
  readonly json: string;
  /** Epoch milliseconds at which the value expires, as its Redis key would. */
  readonly expiresAt: number;
}

/** Options for {@link FallbackStore}. */
export interface FallbackStoreOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Clock in epoch milliseconds (default `Date.now`); tests pass a fake one. */
  now?: () => number;
}

/**
 * The in-process LRU a {@link Cache} reads from while Redis is unreachable. It keeps a
 * copy of recent reads and writes with the TTL their Redis key had, so a value never
 * outlives the expiry it would have had in Redis. Values are kept as JSON text, so a
 * caller that mutates what it read cannot change what the next caller reads.
 */
export class FallbackStore {
  private readonly lru: LRUCache<string, FallbackEntry>;
  private readonly now: () => number;

  constructor(options: FallbackStoreOptions) {
    this.now = options.now ?? Date.now;
    // lru-cache measures TTLs with the same clock, so both agree on when an entry expires.
    this.lru = new LRUCache<string, FallbackEntry>({ max: options.maxEntries, perf: { now: this.now } });
  }

  /** Number of entries held (expired ones may still count until they are read or evicted). */
  get size(): number {
    return this.lru.size;
  }

  /** The live entry for `key`, or `undefined` when absent or expired. */
  get(key: string): FallbackEntry | undefined {
    const entry = this.lru.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.lru.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps `json` for `ttlMs` milliseconds from now (nothing is kept for `ttlMs <= 0`). */
  set(key: string, json: string, ttlMs: number): FallbackEntry | undefined {
    if (!(ttlMs > 0)) {
      this.lru.delete(key);
      return undefined;
    }
    const entry: FallbackEntry = { json, expiresAt: this.now() + ttlMs };
    this.lru.set(key, entry, { ttl: ttlMs });
    return entry;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.lru.clear();
  }
}
