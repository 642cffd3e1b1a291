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
 *
 * "Last" is the order in which the writes were issued, not the order in which their
 * outcome became known: each write takes a {@link stamp} before it is sent. A write that
 * timed out can be known as failed only after a later write was sent, and that later write
 * can then reach Redis: it supersedes the pending one ({@link landed}), which must never be
 * replayed over it.
 */
export class PendingWrites {
  private readonly writes = new Map<string, { write: PendingWrite; seq: number }>();
  private lastStamp = 0;

  constructor(private readonly maxEntries: number) {}

  /** Number of keys waiting to be replayed. */
  get size(): number {
    return this.writes.size;
  }

  /** A number for a write about to be sent, higher than that of every write sent before it. */
  stamp(): number {
    this.lastStamp += 1;
    return this.lastStamp;
  }

  /**
   * Records `write` (sent with stamp `seq`, default: now) as the latest for its key, unless
   * a later-sent write of that key is already pending; returns the write dropped to make
   * room, if any.
   */
  add(write: PendingWrite, seq: number = this.stamp()): PendingWrite | undefined {
    const current = this.writes.get(write.key);
    if (current && current.seq > seq) return undefined;
    this.writes.delete(write.key);
    this.writes.set(write.key, { write, seq });
    if (this.writes.size <= this.maxEntries) return undefined;
    const [oldestKey, oldest] = this.writes.entries().next().value as [string, { write: PendingWrite }];
    this.writes.delete(oldestKey);
    return oldest.write;
  }

  /** A snapshot of the pending writes, oldest first. */
  list(): PendingWrite[] {
    return [...this.writes.values()].map(({ write }) => write);
  }

  /**
   * Marks `write` as replayed. A newer write to the same key, made while the replay was
   * on its way, stays pending.
   */
  settle(write: PendingWrite): void {
    if (this.writes.get(write.key)?.write === write) this.writes.delete(write.key);
  }

  /** A write of `key` sent with stamp `seq` reached Redis: a pending write of that key sent before it is superseded. */
  landed(key: string, seq: number): void {
    const current = this.writes.get(key);
    if (current && current.seq < seq) this.writes.delete(key);
  }
}
