/**
 * Coalesces acknowledgements: ids acked in the same turn of the event loop go out as one
 * `XACK stream group id id ...`, and each caller's promise settles with that command. The
 * guarantee stays "acked only after its handler succeeded"; the round trips drop from one per
 * entry to one per batch.
 */
export class AckBatcher {
  private ids: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;

  /**
   * @param send sends one XACK for the given ids
   * @param maxBatch most ids in one XACK (default 500)
   */
  constructor(
    private readonly send: (ids: string[]) => Promise<unknown>,
    private readonly maxBatch = 500,
  ) {}

  /** Acknowledges `id` with the next batch; resolves once Redis has taken it. */
  ack(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ids.push(id);
      this.waiters.push({ resolve, reject });
      if (this.ids.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.ids.length === 0) return;
    const ids = this.ids;
    const waiters = this.waiters;
    this.ids = [];
    this.waiters = [];
    this.send(ids).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    );
  }
}
