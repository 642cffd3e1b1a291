import { createEvent, StreamPublisher, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';

/** A `price_update` event at `atMs`. */
export function priceEvent(symbol: string, price: number, atMs: number, id?: string): CloudEvent {
  return createEvent({ ...(id ? { id } : {}), type: 'price_update', source: '/test', subject: symbol, time: new Date(atMs).toISOString(), data: { symbol, price, currency: 'USD' } });
}

/** A publisher of test events on the streams of `prefix` (the library's, with validation). */
export function testPublisher(redis: RedisConnection, prefix: string): StreamPublisher {
  return new StreamPublisher({ redis, prefix, registry: new Registry() });
}

/** A `price_threshold` rule above `S1` (and `S2`) on `symbol`, resolving as soon as the price is back under `S1`. */
export function thresholdRule(id: string, symbol: string, s1: number, s2?: number): Record<string, unknown> {
  return { id, name: `${symbol} above ${s1}`, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: s1, ...(s2 === undefined ? {} : { S2: s2 }) } };
}
