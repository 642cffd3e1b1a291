import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { AlertStore, AlertStoreOptions, CommittedChange } from '../../store';
import { newStore } from '../../store/test/store-test-kit';
import { createEventProcessor, type EventProcessor, type EventProcessorOptions } from '../event-processor';
import { PriceHistory } from '../price-history';
import { RulesProvider } from '../rules-provider';

/** A store, its rules cache, a price history and a processor, all on fresh keys. */
export interface ProcessorHarness {
  store: AlertStore;
  rules: RulesProvider;
  prices: PriceHistory;
  processor: EventProcessor;
  registry: Registry;
  /** Changes passed to `onChanges`, in order. */
  notified: CommittedChange[];
}

/**
 * Builds a harness; pass `store` to share one store's keys with another harness (another replica),
 * `processorOptions` for the processor's other options (e.g. `maxClockSkewMs`, `deadLetters`).
 */
export function processorHarness(
  redis: RedisConnection,
  options: {
    store?: AlertStore;
    storeOptions?: Partial<AlertStoreOptions>;
    clock?: () => number;
    pricePrefix?: string;
    processorOptions?: Pick<EventProcessorOptions, 'maxClockSkewMs' | 'deadLetters'>;
  } = {},
): ProcessorHarness {
  const registry = new Registry();
  const store = options.store
    ? newStore(redis, { alertsStream: options.store.keys.stream, registry, ...options.storeOptions })
    : newStore(redis, { registry, ...options.storeOptions });
  const rules = new RulesProvider({ store, refreshIntervalMs: 0 });
  const prices = new PriceHistory({ redis, keyPrefix: options.pricePrefix ?? `${store.keys.stream}:prices:` });
  const notified: CommittedChange[] = [];
  const processor = createEventProcessor({
    store,
    rulesProvider: rules,
    priceHistory: prices,
    registry,
    clock: options.clock,
    ...options.processorOptions,
    onChanges: (changes) => {
      notified.push(...changes);
    },
  });
  return { store, rules, prices, processor, registry, notified };
}

const iso = (atMs: number) => new Date(atMs).toISOString();

/** A `price_update` event at `atMs`. */
export function priceEvent(symbol: string, price: number, atMs: number, id: string = randomUUID()): CloudEvent {
  return createEvent({ id, type: 'price_update', source: '/test', subject: symbol, time: iso(atMs), data: { symbol, price, currency: 'USD' } });
}

/** A `portfolio_snapshot` of two holdings (weights of `BTC` and `ETH` summing to 1) against 50/50 targets. */
export function snapshotEvent(portfolioId: string, btcWeight: number, atMs: number): CloudEvent {
  const total = 100_000;
  return createEvent({
    type: 'portfolio_snapshot',
    source: '/test',
    subject: portfolioId,
    time: iso(atMs),
    data: {
      portfolioId,
      totalValue: total,
      holdings: [
        { symbol: 'BTC', quantity: 1, value: total * btcWeight },
        { symbol: 'ETH', quantity: 1, value: total * (1 - btcWeight) },
      ],
      targets: { BTC: 0.5, ETH: 0.5 },
    },
  });
}

/** A `risk_metric` event. */
export function riskEvent(portfolioId: string, metric: string, value: number, atMs: number): CloudEvent {
  return createEvent({ type: 'risk_metric', source: '/test', subject: portfolioId, time: iso(atMs), data: { portfolioId, metric, value } });
}

/** A `system_status` event. */
export function statusEvent(service: string, status: 'healthy' | 'degraded' | 'down', atMs: number): CloudEvent {
  return createEvent({ type: 'system_status', source: '/test', subject: service, time: iso(atMs), data: { service, status, reason: `is ${status}` } });
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
}
