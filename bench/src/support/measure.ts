/** Result of one measured side of a benchmark. */
export interface Measurement {
  /** What was measured, e.g. `Cache.get (library)`. */
  name: string;
  /** Operations (or events) completed. */
  ops: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds this process spent meanwhile (user + system), when measured by {@link measure}. */
  cpuSeconds?: number;
}

/** Operations per second of a measurement. */
export function rate(m: Measurement): number {
  return m.ops / m.seconds;
}

/** Times `work` (which performs `ops` operations) and returns the measurement. */
export async function measure(name: string, ops: number, work: () => Promise<void>): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { name, ops, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Microseconds of this process's CPU per operation, or `?` when not measured. */
export function cpuMicrosPerOp(m: Measurement): string {
  return m.cpuSeconds === undefined ? '?' : ((m.cpuSeconds * 1e6) / m.ops).toFixed(1);
}

/**
 * Measures the sides in `rounds` rounds, taking turns (each round starts one side later than
 * the last, so every side runs first, in the middle and last, and after every other side,
 * equally often), and sums each side's operations, seconds and CPU seconds: a machine whose
 * load changes during the run (these machines are shared) then weighs on every side alike.
 * Each side prepares its round itself and times only the work (a `measure`).
 */
export async function alternate(rounds: number, sides: ReadonlyArray<(round: number) => Promise<Measurement>>): Promise<Measurement[]> {
  const totals: Measurement[] = sides.map(() => ({ name: '', ops: 0, seconds: 0, cpuSeconds: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const i = (round + turn) % sides.length;
      const m = await sides[i](round);
      const total = totals[i];
      // A side whose rounds are not all measured for CPU reports none.
      const cpuSeconds = total.cpuSeconds === undefined || m.cpuSeconds === undefined ? undefined : total.cpuSeconds + m.cpuSeconds;
      totals[i] = { name: m.name, ops: total.ops + m.ops, seconds: total.seconds + m.seconds, cpuSeconds };
    }
  }
  return totals;
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
