import { LRUCache } from 'lru-cache';

/** One value held in the in-process fallback: its JSON text and when it expires. */
export interface FallbackEntry {
  /** The value as stored in Redis (JSON text). */
  readonly json: string;
  /** Epoch milliseconds after which the fallback no longer serves it. */
  readonly expiresAt: number;
}

/** Options for {@link FallbackStore}. */
export interface FallbackStoreOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Clock in epoch milliseconds (default `Date.now`); tests pass a fake one. */
  now?: () => number;
}

/** An entry as stored: updated in place when its key is written again, so a hot key costs no allocation. */
interface StoredEntry {
  json: string;
  expiresAt: number;
}

/**
 * The in-process LRU a {@link Cache} reads from while Redis is unreachable: a copy of recent
 * writes, each with the TTL the process gave it, so it never outlives its Redis key, and of
 * recent reads, each for the bound the cache gives it ({@link keepRead}). Values are kept as
 * JSON text, so a caller that mutates what it read cannot change what the next caller reads.
 * Expiry is checked on read (entries carry `expiresAt`), so the LRU itself tracks no TTLs.
 */
export class FallbackStore {
  private readonly lru: LRUCache<string, StoredEntry>;
  private readonly now: () => number;

  constructor(options: FallbackStoreOptions) {
    this.now = options.now ?? Date.now;
    this.lru = new LRUCache<string, StoredEntry>({ max: options.maxEntries });
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

  /** Keeps `json` for `ttlMs` milliseconds from now (nothing is kept for `ttlMs <= 0`); the entry as kept. */
  set(key: string, json: string, ttlMs: number): FallbackEntry | undefined {
    if (!(ttlMs > 0)) {
      this.lru.delete(key);
      return undefined;
    }
    const expiresAt = this.now() + ttlMs;
    const entry = this.lru.get(key);
    if (entry) {
      entry.json = json;
      entry.expiresAt = expiresAt;
      return entry;
    }
    const created: StoredEntry = { json, expiresAt };
    this.lru.set(key, created);
    return created;
  }

  /**
   * Keeps a value just read from Redis. A live copy of the same text keeps its expiry (the
   * exact one when this process wrote it, and a read never extends a copy); otherwise the
   * text is kept for `ttlMs`, the bound the cache gives a value whose TTL it does not know.
   */
  keepRead(key: string, json: string, ttlMs: number): void {
    const entry = this.lru.get(key);
    if (entry && entry.json === json && entry.expiresAt > this.now()) return;
    this.set(key, json, ttlMs);
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
