/** Result of one measured side of a benchmark. */
export interface Measurement {
  /** What was measured, e.g. `Cache.get (library)`. */
  name: string;
  /** Operations (or events) completed. */
  ops: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Operations per second of a measurement. */
export function rate(m: Measurement): number {
  return m.ops / m.seconds;
}

/** Times `work` (which performs `ops` operations) and returns the measurement. */
export async function measure(name: string, ops: number, work: () => Promise<void>): Promise<Measurement> {
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, ops, seconds };
}

/**
 * Runs `total` operations through `concurrency` parallel loops, each awaiting `op(i)` in turn:
 * a fixed number of requests in flight, like `redis-benchmark -c`.
 */
export async function runConcurrent(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      await op(i);
    }
  });
  await Promise.all(loops);
}

/** A markdown table of measurements with each one's rate and its ratio to `baseline`. */
export function ratioTable(measurements: Measurement[], baseline: Measurement, unit = 'ops/s'): string {
  const rows = measurements.map((m) => {
    const ratio = rate(m) / rate(baseline);
    return `| ${m.name} | ${Math.round(rate(m)).toLocaleString('en-US')} | ${ratio.toFixed(2)} |`;
  });
  return [`| side | ${unit} | ratio to ${baseline.name} |`, '|---|---:|---:|', ...rows].join('\n');
}
