import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

type MetricClass = typeof Counter | typeof Gauge | typeof Histogram;

/**
 * Returns the metric registered under `config.name` in `config.registry` (default: the
 * prom-client global registry), creating it on first use. Many instances of a component
 * (one Cache per namespace, one runner per stream) then share one metric, told apart by
 * labels, instead of failing on a second registration.
 */
function getOrCreate<C extends MetricClass>(
  Kind: C,
  config: ConstructorParameters<C>[0] & { registry?: Registry },
): InstanceType<C> {
  const registry = config.registry ?? defaultRegistry;
  const existing = registry.getSingleMetric(config.name);
  if (existing) {
    if (!(existing instanceof Kind)) {
      throw new Error(`metric ${config.name} is already registered with another type`);
    }
    return existing as InstanceType<C>;
  }
  const { registry: _registry, ...rest } = config;
  return new (Kind as new (c: unknown) => InstanceType<C>)({ ...rest, registers: [registry] });
}

/** A shared prom-client Counter (see {@link getOrCreate}). */
export function counter<L extends string>(
  config: { name: string; help: string; labelNames?: readonly L[]; registry?: Registry },
): Counter<L> {
  return getOrCreate(Counter, config) as Counter<L>;
}

/** A shared prom-client Gauge (see {@link getOrCreate}). */
export function gauge<L extends string>(
  config: { name: string; help: string; labelNames?: readonly L[]; registry?: Registry },
): Gauge<L> {
  return getOrCreate(Gauge, config) as Gauge<L>;
}

/** A shared prom-client Histogram (see {@link getOrCreate}). */
export function histogram<L extends string>(
  config: { name: string; help: string; labelNames?: readonly L[]; buckets?: number[]; registry?: Registry },
): Histogram<L> {
  return getOrCreate(Histogram, config) as Histogram<L>;
}
