import { Gauge, type Registry } from 'prom-client';
import type { FeedWatcher } from './feed-watcher';

/** Options of {@link registerFeedMetrics}. */
export interface RegisterFeedMetricsOptions {
  registry: Registry;
  /** The watcher whose feeds the gauges show. */
  watcher: FeedWatcher;
  /** Now on the Redis clock, Unix ms; undefined while unknown (no age is exported then). */
  redisNowMs: () => number | undefined;
  /** The key of each watched stream by name: the `stream` label carries the key, prefix included, as every `stream` label does. */
  streamKeys: ReadonlyMap<string, string>;
}

/**
 * Registers the feed gauges, computed when Prometheus scrapes from the watcher's memory (no
 * Redis command), with at most one series per watched feed (`HEALTH_FEED_MAX_SUBJECTS` plus
 * the feeds named in `HEALTH_FEED_EXPECTATIONS`). A metric of the same name already on
 * `registry` is replaced, as the snapshot metrics are. (The watcher's counters are its own.)
 */
export function registerFeedMetrics(options: RegisterFeedMetricsOptions): void {
  const { registry, watcher, redisNowMs, streamKeys } = options;
  const key = (stream: string): string => streamKeys.get(stream) ?? stream;
  const add = (name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => void): void => {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });
  };
  add('rebal_feed_age_seconds', 'Seconds since the newest event of each watched feed, on the Redis clock (subject "" for a whole-stream feed; absent until one was seen)', ['stream', 'subject'], (gauge) => {
    const nowMs = redisNowMs();
    if (nowMs === undefined) return;
    for (const record of watcher.records()) {
      if (record.lastSeenMs !== undefined) gauge.set({ stream: key(record.stream), subject: record.subject ?? '' }, Math.max(0, nowMs - record.lastSeenMs) / 1000);
    }
  });
  const countByStream = (gauge: Gauge, counted: (status: 'stale' | 'fresh') => boolean): void => {
    const counts = new Map(watcher.streamNames.map((stream) => [stream, 0]));
    for (const state of watcher.states()) if (counted(state.status)) counts.set(state.stream, (counts.get(state.stream) ?? 0) + 1);
    for (const [stream, n] of counts) gauge.set({ stream: key(stream) }, n);
  };
  add('rebal_feed_stale', 'Watched feeds that are stale now, by stream', ['stream'], (gauge) => countByStream(gauge, (status) => status === 'stale'));
  add('rebal_feed_watched', 'Watched feeds (whole streams and subjects) judged so far, by stream', ['stream'], (gauge) => countByStream(gauge, () => true));
}
