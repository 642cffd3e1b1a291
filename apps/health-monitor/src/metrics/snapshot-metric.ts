import { Counter, Gauge, type Registry } from 'prom-client';
import type { HealthSnapshot } from '../status';

/** Label values of one sample. */
export type Labels = Record<string, string>;

/** One sample: its labels and its value. */
export type Sample = readonly [labels: Labels, value: number];

/** A metric whose samples are derived from the latest snapshot when Prometheus scrapes. */
export interface SnapshotMetric {
  /** Metric name, e.g. `redis_memory_used_bytes`. */
  name: string;
  /** HELP text. */
  help: string;
  /** `gauge`, or `counter` for values that only grow (Redis's own counters since its start). */
  type: 'gauge' | 'counter';
  /** Label names, the same for every sample. */
  labelNames: readonly string[];
  /** The samples of a snapshot. */
  samples(snapshot: HealthSnapshot): Iterable<Sample>;
}

/**
 * Registers `definitions` on `registry` as prom-client metrics with a `collect` hook: on every
 * scrape each one resets and takes its samples from `latest()` (no Redis command per scrape;
 * series of groups or nodes that disappeared disappear too). Without a snapshot yet, the
 * metrics are exposed without samples. A metric of the same name already on `registry` (an
 * earlier monitor in the same process) is replaced.
 */
export function registerSnapshotMetrics(registry: Registry, definitions: readonly SnapshotMetric[], latest: () => HealthSnapshot | undefined): void {
  for (const definition of definitions) {
    if (registry.getSingleMetric(definition.name)) registry.removeSingleMetric(definition.name);
    const labelNames = [...definition.labelNames];
    if (definition.type === 'counter') {
      new Counter({
        name: definition.name,
        help: definition.help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          const snapshot = latest();
          if (!snapshot) return;
          for (const [labels, value] of definition.samples(snapshot)) {
            if (Number.isFinite(value) && value >= 0) this.inc(labels, value);
          }
        },
      });
    } else {
      new Gauge({
        name: definition.name,
        help: definition.help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          const snapshot = latest();
          if (!snapshot) return;
          for (const [labels, value] of definition.samples(snapshot)) {
            if (!Number.isFinite(value)) continue;
            if (labelNames.length === 0) this.set(value);
            else this.set(labels, value);
          }
        },
      });
    }
  }
}
