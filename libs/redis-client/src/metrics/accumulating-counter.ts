import type { Counter, LabelValues } from 'prom-client';

/** One label set of a counter, as a hot path increments it. */
export interface CounterChild {
  /** Adds `value` (default 1; finite and not negative). */
  inc(value?: number): void;
}

class AccumulatedCount implements CounterChild {
  delta = 0;

  constructor(readonly labels: LabelValues<string>) {}

  inc(value = 1): void {
    if (!(value >= 0 && value !== Infinity)) throw new TypeError(`a counter increment must be finite and not negative, got ${value}`);
    this.delta += value;
  }
}

/** The children of each counter, added to it when the counter is read. */
const childrenOf = new WeakMap<Counter<string>, AccumulatedCount[]>();

/**
 * A child of `metric` for `labels` whose increments are one addition in process memory; the
 * sum is added to `metric` (one `inc(labels, n)`) whenever the metric is read, which is what a
 * scrape, `registry.metrics()` and `metric.get()` do. prom-client's own `labels(...).inc()`
 * hashes and checks the label set on every call, which a path run per event or per cache
 * read cannot afford. What Prometheus sees is the same, read at the same moments.
 */
export function accumulatingCounter<L extends string>(metric: Counter<L>, labels: LabelValues<L>): CounterChild {
  const counter = metric as unknown as Counter<string>;
  let children = childrenOf.get(counter);
  if (!children) {
    const list: AccumulatedCount[] = [];
    children = list;
    childrenOf.set(counter, list);
    const target = counter as unknown as { collect?: (this: Counter<string>) => unknown };
    const previous = target.collect;
    target.collect = function collect(this: Counter<string>) {
      for (const child of list) {
        if (child.delta === 0) continue;
        const delta = child.delta;
        child.delta = 0;
        this.inc(child.labels, delta);
      }
      return previous?.call(this);
    };
  }
  const child = new AccumulatedCount({ ...labels });
  children.push(child);
  return child;
}
