/** Prices kept per symbol at least, whatever the rules' windows: 10 minutes. */
export const MIN_PRICE_KEEP_MS = 10 * 60_000;
/** Kept beyond a rule's window: a minute. */
export const PRICE_KEEP_MARGIN_MS = 60_000;
/** A recorded point that trims nothing (a point written again so it outlives the stream's trimming). */
export const NO_TRIM = -1;

/** Whether `price` wins over `other` at one time: the greater `<price>|` text, as the sorted set of members `<price>|<eventId>` ordered them. */
function wins(price: number, other: number): boolean {
  return `${price}|` > `${other}|`;
}

/**
 * Recent prices of one symbol for `price_change` rules, in memory: times ascending, one price per
 * time. It keeps exactly what the per-symbol sorted set of the engine before issue 12 kept
 * (score = event time, member `<price>|<eventId>`): a record inserts its point and removes the
 * points older than the newest one before `atMs − keep`, which stays as the reference of a
 * look-up reaching back that far (issue 11); a look-up is the newest price at or before a time
 * (binary search), and of several prices at one time the one whose text sorts last, as
 * ZREVRANGEBYSCORE returned it. Points live in arrays from `start` on: trimming moves `start`,
 * appending in time order pushes, and the arrays are compacted now and then.
 */
export class PriceSeries {
  private times: number[] = [];
  private prices: number[] = [];
  /** Wall-clock time each point was last written to Redis (NaN: not yet). */
  private written: number[] = [];
  /** Index of the oldest point held. */
  private start = 0;
  /** At most the oldest write time of a point: what the price stream's trimming must keep. */
  oldestWriteBound = Number.POSITIVE_INFINITY;
  /** The `keepMs` of the last record. */
  keepMs = MIN_PRICE_KEEP_MS;

  /** Number of points. */
  get size(): number {
    return this.times.length - this.start;
  }

  /**
   * Records a price at event time `atMs`, then trims what is older than `keepMs` before it (all
   * but the newest such point); `keepMs` {@link NO_TRIM} only inserts.
   * @returns whether the series changed
   */
  record(atMs: number, price: number, keepMs: number): boolean {
    let changed = false;
    const end = this.times.length;
    if (end === this.start || (this.times[end - 1] as number) < atMs) {
      this.times.push(atMs);
      this.prices.push(price);
      this.written.push(Number.NaN);
      changed = true;
    } else {
      const at = this.lowerBound(atMs);
      if (this.times[at] === atMs) {
        if (wins(price, this.prices[at] as number)) {
          this.prices[at] = price;
          this.written[at] = Number.NaN;
          changed = true;
        }
      } else {
        this.times.splice(at, 0, atMs);
        this.prices.splice(at, 0, price);
        this.written.splice(at, 0, Number.NaN);
        changed = true;
      }
    }
    if (keepMs === NO_TRIM) return changed;
    this.keepMs = keepMs;
    // The newest point strictly before the cutoff stays; every point before it goes.
    const anchor = this.lowerBound(atMs - keepMs) - 1;
    if (anchor > this.start) {
      this.start = anchor;
      changed = true;
      if (this.start > 64 && this.start * 2 > this.times.length) this.compact();
    }
    return changed;
  }

  /** The newest price at or before `atMs`, or `undefined`. */
  priceAt(atMs: number): number | undefined {
    let low = this.start;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) <= atMs) low = mid + 1;
      else high = mid;
    }
    return low > this.start ? this.prices[low - 1] : undefined;
  }

  /** Marks the points not written yet (all of them with `all`) as written at `nowMs`. */
  markWritten(nowMs: number, all = false): void {
    for (let i = this.start; i < this.written.length; i += 1) if (all || Number.isNaN(this.written[i])) this.written[i] = nowMs;
    this.oldestWriteBound = all ? nowMs : Math.min(this.oldestWriteBound, nowMs);
  }

  /** The oldest write time of a point (points not written yet count as now), or Infinity when empty; tightens {@link oldestWriteBound}. */
  oldestWrite(nowMs: number): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = this.start; i < this.written.length; i += 1) {
      const at = this.written[i] as number;
      oldest = Math.min(oldest, Number.isNaN(at) ? nowMs : at);
    }
    this.oldestWriteBound = oldest;
    return oldest;
  }

  /** Every point as `[NO_TRIM, t, price, ...]`: records that rebuild the series without trimming. */
  rewriteRecords(): number[] {
    const records: number[] = [];
    for (let i = this.start; i < this.times.length; i += 1) records.push(NO_TRIM, this.times[i] as number, this.prices[i] as number);
    return records;
  }

  /** First index (at or after `start`) whose time is ≥ `atMs`. */
  private lowerBound(atMs: number): number {
    let low = this.start;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] as number) < atMs) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private compact(): void {
    this.times = this.times.slice(this.start);
    this.prices = this.prices.slice(this.start);
    this.written = this.written.slice(this.start);
    this.start = 0;
  }
}
