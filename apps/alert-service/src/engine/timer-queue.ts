/** One scheduled look at a rule state. */
export interface TimerEntry {
  /** Wall-clock time the ticker may act: the due time plus the state's frame offset. */
  readonly wallMs: number;
  /** `<ruleId>|<fingerprint>`: ties go in this order, as the due sorted set ordered its members. */
  readonly key: string;
  /** The state's timer generation when scheduled: an entry of an older generation is stale and skipped. */
  readonly generation: number;
}

/**
 * A binary min-heap of timer entries by (wall time, key). Rescheduling pushes a new entry with
 * a new generation; stale ones are dropped when they surface, so nothing is searched or removed
 * from the middle.
 */
export class TimerQueue {
  private readonly heap: TimerEntry[] = [];

  /** Entries held, stale ones included. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedules an entry. */
  push(entry: TimerEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as TimerEntry, heap[parent] as TimerEntry)) break;
      [heap[i], heap[parent]] = [heap[parent] as TimerEntry, heap[i] as TimerEntry];
      i = parent;
    }
  }

  /** The earliest entry, if any, without removing it. */
  peek(): TimerEntry | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest entry. */
  pop(): TimerEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as TimerEntry, heap[smallest] as TimerEntry)) smallest = left;
      if (right < heap.length && before(heap[right] as TimerEntry, heap[smallest] as TimerEntry)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest] as TimerEntry, heap[i] as TimerEntry];
      i = smallest;
    }
    return top;
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.wallMs < b.wallMs || (a.wallMs === b.wallMs && a.key < b.key);
}
