/** A write made while Redis was unreachable, waiting to be replayed to Redis. */
export type PendingWrite =
  | { readonly op: 'set'; readonly key: string; readonly json: string; readonly expiresAt: number }
  | { readonly op: 'del'; readonly key: string };

/**
 * The "dirty set" of a {@link Cache}: the last write (set or delete) per Redis key made
 * while Redis was unreachable. Only the last write per key is kept (last write wins), in
 * the order keys were first written. When more than `maxEntries` keys are pending, the
 * oldest is dropped and reported by `add` (the cache counts it), so an outage cannot
 * grow memory without bound.
 */
export class PendingWrites {
  private readonly writes = new Map<string, PendingWrite>();

  constructor(private readonly maxEntries: number) {}

  /** Number of keys waiting to be replayed. */
  get size(): number {
    return this.writes.size;
  }

  /** Records `write` as the latest for its key; returns the write dropped to make room, if any. */
  add(write: PendingWrite): PendingWrite | undefined {
    this.writes.delete(write.key);
    this.writes.set(write.key, write);
    if (this.writes.size <= this.maxEntries) return undefined;
    const oldest = this.writes.values().next().value as PendingWrite;
    this.writes.delete(oldest.key);
    return oldest;
  }

  /** A snapshot of the pending writes, oldest first. */
  list(): PendingWrite[] {
    return [...this.writes.values()];
  }

  /**
   * Marks `write` as replayed. A newer write to the same key, made while the replay was
   * on its way, stays pending.
   */
  settle(write: PendingWrite): void {
    if (this.writes.get(write.key) === write) this.writes.delete(write.key);
  }

  /** Drops a pending write for `key`, as a newer write that reached Redis replaces it. */
  forget(key: string): void {
    this.writes.delete(key);
  }
}
