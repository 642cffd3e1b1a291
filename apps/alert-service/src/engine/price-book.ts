import { MIN_PRICE_KEEP_MS, PriceSeries } from './price-series';

/** Records of one symbol in a flush: `[keepMs, atMs, price, keepMs, atMs, price, ...]`. */
type Records = number[];

/**
 * The price series of one partition's symbols, and what to write of them to the partition's
 * price stream (`{alerts}:prices:<n>`): each flush carries the records made since the last one,
 * in order and with the keep each used, so replaying the stream rebuilds the series exactly. A
 * symbol whose points were written longer than its keep ago (one quoted rarely: its reference
 * price is old) has them written again; symbols are checked for that in turns, a tenth of them
 * (at least 8) per flush. The stream is trimmed to twice the longest keep, but never past the
 * oldest write of a point still held, so trimming never drops a point a look-up needs, also after
 * an outage that stopped the flushes.
 */
export class PriceBook {
  private readonly series = new Map<string, PriceSeries>();
  private pending = new Map<string, Records>();
  private turn = 0;
  private longestKeepMs = MIN_PRICE_KEEP_MS;

  /** The newest price of `symbol` at or before `atMs`. */
  priceAt(symbol: string, atMs: number): number | undefined {
    return this.series.get(symbol)?.priceAt(atMs);
  }

  /** Records a price (see {@link PriceSeries.record}) and remembers it for the next flush. */
  record(symbol: string, atMs: number, price: number, keepMs: number): void {
    let series = this.series.get(symbol);
    if (!series) {
      series = new PriceSeries();
      this.series.set(symbol, series);
    }
    if (!series.record(atMs, price, keepMs)) return;
    this.longestKeepMs = Math.max(this.longestKeepMs, keepMs);
    let records = this.pending.get(symbol);
    if (!records) {
      records = [];
      this.pending.set(symbol, records);
    }
    records.push(keepMs, atMs, price);
  }

  /** Points held for one symbol. */
  pointsOf(symbol: string): number {
    return this.series.get(symbol)?.size ?? 0;
  }

  /** Points held, all symbols. */
  get points(): number {
    let points = 0;
    for (const series of this.series.values()) points += series.size;
    return points;
  }

  /**
   * The flush entry (JSON `{symbol: records}`) of what was recorded since the last flush, plus the
   * series written again because their oldest write is older than their keep; `undefined` when
   * there is nothing to write. Marks what it returns as written at `nowMs`.
   */
  takeFlush(nowMs: number): string | undefined {
    const entry: Record<string, Records> = Object.fromEntries(this.pending);
    for (const symbol of this.pending.keys()) this.series.get(symbol)?.markWritten(nowMs);
    this.pending = new Map();
    const symbols = [...this.series.keys()];
    const checks = Math.min(symbols.length, Math.max(8, Math.ceil(symbols.length / 10)));
    for (let i = 0; i < checks; i += 1) {
      this.turn = (this.turn + 1) % symbols.length;
      const symbol = symbols[this.turn] as string;
      const series = this.series.get(symbol) as PriceSeries;
      if (series.size === 0 || series.oldestWrite(nowMs) >= nowMs - series.keepMs) continue;
      entry[symbol] = [...(entry[symbol] ?? []), ...series.rewriteRecords()];
      series.markWritten(nowMs, true);
    }
    return Object.keys(entry).length === 0 ? undefined : JSON.stringify(entry);
  }

  /** Entries written before this time may be trimmed from the stream: twice the longest keep ago, and before every point held. */
  trimBefore(nowMs: number): number {
    let line = nowMs - 2 * (this.longestKeepMs + 60_000);
    for (const series of this.series.values()) if (series.size > 0) line = Math.min(line, series.oldestWriteBound);
    return line;
  }

  /** Replays one flush entry written at `writtenAtMs` (a takeover rebuilding the series). */
  replay(json: string, writtenAtMs: number): void {
    for (const [symbol, records] of Object.entries(JSON.parse(json) as Record<string, Records>)) {
      let series = this.series.get(symbol);
      if (!series) {
        series = new PriceSeries();
        this.series.set(symbol, series);
      }
      for (let i = 0; i + 2 < records.length; i += 3) {
        const keepMs = records[i] as number;
        series.record(records[i + 1] as number, records[i + 2] as number, keepMs);
        if (keepMs > 0) this.longestKeepMs = Math.max(this.longestKeepMs, keepMs);
      }
      series.markWritten(writtenAtMs);
    }
  }
}
