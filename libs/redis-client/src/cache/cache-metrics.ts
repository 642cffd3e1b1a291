import type { Registry } from 'prom-client';
import { accumulatingCounter, counter, type CounterChild } from '../metrics';

/** The counters of one cache namespace. */
export interface CacheMetrics {
  /** `rebal_cache_hits_total`: reads that found a value (in Redis or, while degraded, in the LRU). */
  readonly hits: CounterChild;
  /** `rebal_cache_misses_total`: reads that found nothing. */
  readonly misses: CounterChild;
  /** `rebal_cache_errors_total`: Redis commands that failed or timed out, after which the cache fell back. */
  readonly errors: CounterChild;
  /** `rebal_cache_fallback_reads_total`: reads served by the in-process LRU because Redis was unreachable. */
  readonly fallbackReads: CounterChild;
  /** `rebal_cache_loads_total`: loader calls made by `wrap`. */
  readonly loads: CounterChild;
  /** `rebal_cache_lock_waits_total`: `wrap` misses that waited for another process's load. */
  readonly lockWaits: CounterChild;
  /** `rebal_cache_replayed_writes_total`: outage writes replayed to Redis once it was back. */
  readonly replayedWrites: CounterChild;
  /** `rebal_cache_dropped_writes_total`: outage writes dropped because too many were pending. */
  readonly droppedWrites: CounterChild;
}

const DEFINITIONS: ReadonlyArray<[keyof CacheMetrics, string, string]> = [
  ['hits', 'rebal_cache_hits_total', 'Cache reads that found a value'],
  ['misses', 'rebal_cache_misses_total', 'Cache reads that found nothing'],
  ['errors', 'rebal_cache_errors_total', 'Redis commands of the cache that failed or timed out (the cache fell back to its LRU)'],
  ['fallbackReads', 'rebal_cache_fallback_reads_total', 'Cache reads served by the in-process LRU while Redis was unreachable'],
  ['loads', 'rebal_cache_loads_total', 'Loader calls made by Cache.wrap'],
  ['lockWaits', 'rebal_cache_lock_waits_total', 'Cache.wrap misses that waited for the load of another process'],
  ['replayedWrites', 'rebal_cache_replayed_writes_total', 'Cache writes made during a Redis outage and replayed once it was back'],
  ['droppedWrites', 'rebal_cache_dropped_writes_total', 'Cache writes made during a Redis outage and dropped because too many were pending'],
];

/**
 * The cache counters on `registry` (default: the global one), labelled `{namespace}`; each
 * call is one addition, summed into prom-client when the metrics are read.
 */
export function createCacheMetrics(namespace: string, registry?: Registry): CacheMetrics {
  const bound = {} as Record<keyof CacheMetrics, CounterChild>;
  for (const [field, name, help] of DEFINITIONS) {
    bound[field] = accumulatingCounter(counter({ name, help, labelNames: ['namespace'] as const, registry }), { namespace });
  }
  return bound;
}
