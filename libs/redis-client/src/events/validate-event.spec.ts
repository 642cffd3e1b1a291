import { createEvent } from './cloud-event';
import { EVENT_SCHEMAS, ENVELOPE_SCHEMA } from './event-schemas';
import { EVENT_TYPES, type EventType } from './event-types';
import { validateEvent } from './validate-event';

const valid: Record<EventType, unknown> = {
  price_update: { symbol: 'ETH', price: 3100.25, currency: 'USD', volume24h: 1.5e9 },
  portfolio_snapshot: {
    portfolioId: 'p-1',
    totalValue: 1000,
    holdings: [{ symbol: 'BTC', quantity: 0.01, value: 640 }, { symbol: 'ETH', quantity: 0.1, value: 360 }],
    targets: { BTC: 0.6, ETH: 0.4 },
  },
  rebalance_executed: {
    portfolioId: 'p-1',
    rebalanceId: 'r-9',
    status: 'completed',
    trades: [{ symbol: 'BTC', side: 'sell', quantity: 0.001, price: 64000, value: 64, fee: 0.1 }],
    totalValueBefore: 1000,
    totalValueAfter: 999.9,
  },
  risk_metric: { portfolioId: 'p-1', metric: 'var_95', value: -0.042, window: '30d' },
  system_status: { service: 'alert-service', instance: 'alert-service-0', status: 'degraded', reason: 'redis unreachable' },
  feed_status: { stream: 'market_data', subject: 'BTC', status: 'stale', lastEventAt: '2024-05-01T10:00:00.000Z', expectedIntervalMs: 5000, since: '2024-05-01T10:00:07.500Z' },
  'alert.raised': { alert: { id: 'a-1', severity: 'critical' } },
  'alert.updated': { alert: { id: 'a-1' } },
  'alert.acknowledged': { alert: { id: 'a-1', acknowledgedBy: 'u-1' } },
  'alert.snoozed': { alert: { id: 'a-1' } },
  'alert.resolved': { alert: { id: 'a-1' } },
  'alert.escalated': { alert: { id: 'a-1' } },
  heartbeat: {
    service: 'alert-service',
    instance: 'alert-service-0',
    version: '1.2.3',
    startedAt: '2024-05-01T10:00:00.000Z',
    uptimeSeconds: 12.5,
    status: 'healthy',
    details: { consumers: 3 },
  },
};

const invalid: Array<[EventType, string, unknown, RegExp]> = [
  ['price_update', 'a zero price', { symbol: 'ETH', price: 0, currency: 'USD' }, /data\/price must be > 0/],
  ['price_update', 'a negative price', { symbol: 'ETH', price: -1, currency: 'USD' }, /data\/price/],
  ['price_update', 'a price given as text', { symbol: 'ETH', price: '3100', currency: 'USD' }, /data\/price must be number/],
  ['price_update', 'no currency', { symbol: 'ETH', price: 1 }, /must have required property 'currency'/],
  ['price_update', 'a negative volume', { symbol: 'ETH', price: 1, currency: 'USD', volume24h: -5 }, /data\/volume24h/],
  ['portfolio_snapshot', 'a target weight above 1', { ...(valid.portfolio_snapshot as object), targets: { BTC: 1.5 } }, /data\/targets\/BTC/],
  ['portfolio_snapshot', 'a holding without value', { ...(valid.portfolio_snapshot as object), holdings: [{ symbol: 'BTC', quantity: 1 }] }, /data\/holdings\/0 must have required property 'value'/],
  ['portfolio_snapshot', 'no holdings', { portfolioId: 'p', totalValue: 1, targets: {} }, /'holdings'/],
  ['rebalance_executed', 'a trade with an unknown side', { ...(valid.rebalance_executed as object), trades: [{ symbol: 'BTC', side: 'hold', quantity: 1, price: 1 }] }, /data\/trades\/0\/side/],
  ['rebalance_executed', 'no trades', { portfolioId: 'p', rebalanceId: 'r', status: 'completed' }, /'trades'/],
  ['risk_metric', 'a metric that is not an identifier', { metric: 'Value at Risk', value: 1 }, /data\/metric must match pattern/],
  ['risk_metric', 'no value', { metric: 'volatility' }, /'value'/],
  ['system_status', 'an unknown status', { service: 's', status: 'sleepy', reason: '' }, /data\/status must be equal to one of the allowed values/],
  ['system_status', 'no reason', { service: 's', status: 'down' }, /'reason'/],
  ['feed_status', 'an unknown status', { ...(valid.feed_status as object), status: 'late' }, /data\/status must be equal to one of the allowed values/],
  ['feed_status', 'a subject over 256 characters', { ...(valid.feed_status as object), subject: 'X'.repeat(257) }, /data\/subject must NOT have more than 256 characters/],
  ['feed_status', 'no since', { stream: 'market_data', status: 'fresh', expectedIntervalMs: 5000 }, /'since'/],
  ['alert.raised', 'an alert without id', { alert: { severity: 'critical' } }, /data\/alert must have required property 'id'/],
  ['alert.resolved', 'no alert at all', { id: 'a-1' }, /'alert'/],
  ['heartbeat', 'a startedAt that is not a time', { ...(valid.heartbeat as object), startedAt: 'this morning' }, /data\/startedAt must match format/],
  ['heartbeat', 'a negative uptime', { ...(valid.heartbeat as object), uptimeSeconds: -1 }, /data\/uptimeSeconds/],
  ['heartbeat', 'no instance', { service: 's', version: '1', startedAt: '2024-05-01T10:00:00Z', uptimeSeconds: 1, status: 'healthy' }, /'instance'/],
];

describe('validateEvent', () => {
  it.each(EVENT_TYPES.map((type) => [type]))('accepts a valid %s event', (type) => {
    const event = createEvent({ type, source: '/test', data: valid[type] });
    expect(validateEvent(event)).toEqual({ ok: true, event });
  });

  it.each(invalid)('rejects a %s payload with %s', (type, _what, data, reason) => {
    const result = validateEvent(createEvent({ type, source: '/test', data }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('rejects an envelope with an extra attribute, a wrong content type or no id', () => {
    const event = createEvent({ type: 'price_update', source: '/t', data: valid.price_update });
    expect(validateEvent({ ...event, extra: 1 }).ok).toBe(false);
    expect(validateEvent({ ...event, datacontenttype: 'text/plain' }).ok).toBe(false);
    expect(validateEvent({ ...event, id: '' }).ok).toBe(false);
    expect(validateEvent('not an object').ok).toBe(false);
  });

  it('rejects an unknown type', () => {
    expect(validateEvent(createEvent({ type: 'price_changed', source: '/t', data: {} }))).toEqual({
      ok: false,
      reason: 'unknown event type "price_changed"',
    });
  });

  it('exports one schema per type and the envelope schema, all draft-07 with an $id', () => {
    for (const schema of [ENVELOPE_SCHEMA, ...Object.values(EVENT_SCHEMAS)]) {
      expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
      expect(String(schema['$id'])).toMatch(/^urn:rebal:schema:event:/);
    }
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
