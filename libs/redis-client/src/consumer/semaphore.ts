/** Thrown by {@link Semaphore.acquire} when its signal aborts before a slot is free. */
export class SemaphoreAbortedError extends Error {
  readonly code = 'ERR_ABORTED';
  constructor() {
    super('aborted while waiting for a free slot');
    this.name = 'SemaphoreAbortedError';
  }
}

/** Bounds how many tasks run at once: `acquire()` waits for a slot, `release()` frees it. FIFO. */
export class Semaphore {
  private free: number;
  private readonly waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  /** @param size Slots (a positive integer). */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`semaphore size must be a positive integer, got ${size}`);
    this.free = size;
  }

  /** Slots taken. */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Takes a slot, waiting for one; rejects with {@link SemaphoreAbortedError} once `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new SemaphoreAbortedError());
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new SemaphoreAbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Frees a slot, handing it straight to the longest waiter if any. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.free = Math.min(this.size, this.free + 1);
  }
}
