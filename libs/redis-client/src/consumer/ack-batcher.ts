/**
 * Coalesces acknowledgements: ids added in the same turn of the event loop go out as one
 * `XACK stream group id id ...` (at most `maxBatch` ids; more start another), sent once the
 * turn's handlers have finished. Adding an id is a push onto an array: no promise, no
 * closure, no timer per entry. The guarantee stays "acked only after its handler succeeded";
 * the round trips drop from one per entry to one per turn.
 *
 * A failed XACK leaves its entries pending (they come back, as at-least-once allows) and is
 * reported once per batch to `onError`.
 */
export class AckBatcher {
  private ids: string[] = [];
  /** Callers of {@link ack} waiting for the batch being collected. */
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  /** Batches sent and not answered yet. */
  private readonly sending = new Set<{ ids: readonly string[]; done: Promise<void> }>();

  /**
   * @param send sends one XACK for the given ids
   * @param onError told of each batch whose XACK failed, with its ids
   * @param maxBatch most ids in one XACK
   */
  constructor(
    private readonly send: (ids: string[]) => Promise<unknown>,
    private readonly onError: (error: unknown, ids: readonly string[]) => void,
    private readonly maxBatch: number,
  ) {}

  /** Acknowledges `id` with the next batch. */
  add(id: string): void {
    this.ids.push(id);
    if (this.ids.length >= this.maxBatch) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushScheduled);
    }
  }

  /** Acknowledges `id` with the next batch; resolves once Redis has taken it, rejects if that XACK failed. */
  ack(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.add(id);
    });
  }

  /** Whether `id` waits to be sent or for its XACK's answer. */
  holds(id: string): boolean {
    if (this.ids.includes(id)) return true;
    for (const batch of this.sending) if (batch.ids.includes(id)) return true;
    return false;
  }

  /** Sends what is collected now and resolves once every XACK sent so far has been answered (or failed). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.sending].map((batch) => batch.done));
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    if (this.ids.length === 0) return;
    const ids = this.ids;
    const waiters = this.waiters;
    this.ids = [];
    this.waiters = [];
    const batch = {
      ids,
      done: this.send(ids).then(
        () => {
          for (const waiter of waiters) waiter.resolve();
        },
        (error: unknown) => {
          this.onError(error, ids);
          for (const waiter of waiters) waiter.reject(error);
        },
      ),
    };
    this.sending.add(batch);
    void batch.done.finally(() => this.sending.delete(batch));
  }
}
