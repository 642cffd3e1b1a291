import type { HistogramData } from './ipc';

// Buckets: 10 µs wide up to 10 ms, 1 ms wide up to 1 s, 100 ms wide up to 60 s.
const TIERS = [
  { upTo: 10_000, width: 10 },
  { upTo: 1_000_000, width: 1_000 },
  { upTo: 60_000_000, width: 100_000 },
] as const;
const BUCKETS = TIERS.reduce((n, tier, i) => n + (tier.upTo - (i === 0 ? 0 : (TIERS[i - 1] as { upTo: number }).upTo)) / tier.width, 0);

/** Upper bound (µs) of bucket `index`. */
function upperBound(index: number): number {
  let start = 0;
  let first = 0;
  for (const tier of TIERS) {
    const count = (tier.upTo - start) / tier.width;
    if (index < first + count) return start + (index - first + 1) * tier.width;
    first += count;
    start = tier.upTo;
  }
  return Infinity;
}

/**
 * A fixed-bucket latency histogram in microseconds (10 µs resolution below 10 ms, 1 ms below
 * 1 s, 100 ms below 60 s): constant cost per value, mergeable across processes.
 */
export class LatencyHistogram {
  private readonly counts: number[];
  private overflow = 0;
  private total = 0;

  constructor(data?: HistogramData) {
    this.counts = data ? [...data.counts] : new Array<number>(BUCKETS).fill(0);
    if (data) {
      this.overflow = data.overflow;
      this.total = data.counts.reduce((a, b) => a + b, 0) + data.overflow;
    }
  }

  /** Values recorded. */
  get count(): number {
    return this.total;
  }

  /** Records one latency, µs (negative values count as 0). */
  record(us: number): void {
    this.total++;
    const v = us < 0 ? 0 : us;
    let index: number;
    if (v < 10_000) index = Math.floor(v / 10);
    else if (v < 1_000_000) index = 1_000 + Math.floor((v - 10_000) / 1_000);
    else if (v < 60_000_000) index = 1_990 + Math.floor((v - 1_000_000) / 100_000);
    else {
      this.overflow++;
      return;
    }
    this.counts[index] = (this.counts[index] as number) + 1;
  }

  /** Adds another histogram's counts to this one. */
  merge(other: HistogramData): void {
    other.counts.forEach((n, i) => (this.counts[i] = (this.counts[i] as number) + n));
    this.overflow += other.overflow;
    this.total += other.counts.reduce((a, b) => a + b, 0) + other.overflow;
  }

  /** The `p`-th percentile (0-100) in µs: the upper bound of the bucket it falls in; NaN when empty. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return upperBound(i);
    }
    return Infinity;
  }

  /** Plain data for IPC. */
  toJSON(): HistogramData {
    return { counts: this.counts, overflow: this.overflow };
  }
}
