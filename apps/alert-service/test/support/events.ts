import { createEvent, StreamPublisher, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';

/** A `price_update` event at `atMs`. */
export function priceEvent(symbol: string, price: number, atMs: number, id?: string): CloudEvent {
  return createEvent({ ...(id ? { id } : {}), type: 'price_update', source: '/test', subject: symbol, time: new Date(atMs).toISOString(), data: { symbol, price, currency: 'USD' } });
}

/** A `portfolio_snapshot` of `portfolioId` at `atMs`: `weights` of a 100,000 USD portfolio against `targets`. */
export function snapshotEvent(portfolioId: string, weights: Record<string, number>, targets: Record<string, number>, atMs: number): CloudEvent {
  const totalValue = 100_000;
  const holdings = Object.entries(weights).map(([symbol, weight]) => ({ symbol, quantity: 1, value: totalValue * weight }));
  return createEvent({ type: 'portfolio_snapshot', source: '/test', subject: portfolioId, time: new Date(atMs).toISOString(), data: { portfolioId, totalValue, holdings, targets } });
}

/** A `risk_metric` event of `portfolioId` at `atMs`. */
export function riskEvent(portfolioId: string, metric: string, value: number, atMs: number): CloudEvent {
  return createEvent({ type: 'risk_metric', source: '/test', subject: portfolioId, time: new Date(atMs).toISOString(), data: { portfolioId, metric, value } });
}

/** A `system_status` event of `service` at `atMs`. */
export function statusEvent(service: string, status: 'healthy' | 'degraded' | 'down', atMs: number): CloudEvent {
  return createEvent({ type: 'system_status', source: '/test', subject: service, time: new Date(atMs).toISOString(), data: { service, status, reason: `is ${status}` } });
}

/** A publisher of test events on the streams of `prefix` (the library's, with validation). */
export function testPublisher(redis: RedisConnection, prefix: string): StreamPublisher {
  return new StreamPublisher({ redis, prefix, registry: new Registry() });
}

/** A `price_threshold` rule above `S1` (and `S2`) on `symbol`, resolving as soon as the price is back under `S1`. */
export function thresholdRule(id: string, symbol: string, s1: number, s2?: number): Record<string, unknown> {
  return { id, name: `${symbol} above ${s1}`, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: s1, ...(s2 === undefined ? {} : { S2: s2 }) } };
}
