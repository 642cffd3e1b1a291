import { createEvent, StreamPublisher, type CloudEvent } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { E2eStack } from '../stack';

/** The CloudEvents `source` of every event these tests publish. */
export const TEST_SOURCE = '/e2e-hostile';

/** A library publisher on a connection as the `rebal-producer` ACL user (validates, then XADDs). */
export function producerPublisher(stack: E2eStack): StreamPublisher {
  return new StreamPublisher({ redis: stack.connect('rebal-producer'), registry: new Registry() });
}

/** A valid `price_update` of `symbol` (stream market_data). */
export function priceEvent(symbol: string, price: number, time?: string): CloudEvent {
  return createEvent({ type: 'price_update', source: TEST_SOURCE, subject: symbol, data: { symbol, price, currency: 'USD' }, ...(time === undefined ? {} : { time }) });
}

/** A valid `portfolio_snapshot` of `portfolioId` (stream portfolio_updates), padded to about `padBytes` with a field the schema allows. */
export function snapshotEvent(portfolioId: string, padBytes = 0): CloudEvent {
  return createEvent({
    type: 'portfolio_snapshot',
    source: TEST_SOURCE,
    subject: portfolioId,
    data: { portfolioId, totalValue: 100, holdings: [{ symbol: 'BTC', quantity: 1, value: 100 }], targets: { BTC: 1 }, note: 'p'.repeat(padBytes) },
  });
}

/** A valid `risk_metric` of `portfolioId` (stream risk_events). */
export function riskEvent(portfolioId: string, value: number): CloudEvent {
  return createEvent({ type: 'risk_metric', source: TEST_SOURCE, subject: portfolioId, data: { portfolioId, metric: 'var_95', value } });
}
