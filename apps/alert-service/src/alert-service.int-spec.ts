import { randomUUID } from 'node:crypto';
import { createEvent, dlqKey, encodeEvent, streamKey, STREAMS, type CloudEvent, type RedisConnection, type StreamName } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { ApiClient, signToken } from '../test/support/api-client';
import { priceEvent, testPublisher, thresholdRule } from '../test/support/events';
import { AdminConnections, serviceEnv, startInProcess, uniquePrefix, waitForAlerts, type InProcessService } from '../test/support/suite-context';

/** Field/value pairs of a stream entry as an object. */
function fieldsToObject(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

/** A schema-valid `alert.raised`: it belongs on `alerts` only. */
const foreignAlert = (id: string): CloudEvent =>
  createEvent({ id, type: 'alert.raised', source: '/foreign-producer', subject: id, data: { alert: { id, severity: 'S1' } } });

/** A schema-valid `price_update`: it belongs on `market_data` only. */
const foreignPrice = (id: string): CloudEvent =>
  createEvent({ id, type: 'price_update', source: '/foreign-producer', subject: 'FOREIGN', data: { symbol: 'FOREIGN', price: 150, currency: 'USD' } });

describe('alert service consumers', () => {
  const connections = new AdminConnections();
  let service: InProcessService | undefined;

  afterAll(async () => {
    await service?.close();
    await connections.closeAll();
  }, 30_000);
  const redisServer = useRedis();

  it('dead-letter an event of another stream type on every stream they read, and go on with the next entry', async () => {
    const prefix = uniquePrefix();
    const admin: RedisConnection = connections.connect(redisServer.server);
    service = await startInProcess(serviceEnv(redisServer.server, prefix));
    const api = new ApiClient(service.url, await signToken('alice'));
    const symbol = `XS${randomUUID().slice(0, 6).toUpperCase()}`;
    await api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100));

    // Put there by a producer allowed to XADD the stream, bypassing StreamPublisher's check.
    const foreign: Record<Exclude<StreamName, 'service_heartbeats'>, { event: CloudEvent; group: string }> = {
      market_data: { event: foreignAlert('foreign-md'), group: 'alert-service' },
      portfolio_updates: { event: foreignPrice('foreign-pu'), group: 'alert-service' },
      risk_events: { event: foreignAlert('foreign-re'), group: 'alert-service' },
      alerts: { event: foreignPrice('foreign-al'), group: 'alert-service.notifier' },
    };
    const entryIds = new Map<string, string>();
    for (const [stream, { event }] of Object.entries(foreign)) {
      entryIds.set(stream, (await admin.xadd(streamKey(stream, prefix), '*', ...encodeEvent(event))) as string);
    }
    await testPublisher(admin, prefix).publish('market_data', priceEvent(symbol, 150, Date.now()));

    // The price right after the foreign entry on market_data is evaluated: its rule fires.
    await waitForAlerts(api, `?label=symbol=${symbol}`, 1);
    for (const [stream, { event, group }] of Object.entries(foreign) as Array<[StreamName, { event: CloudEvent; group: string }]>) {
      const dlq = dlqKey(streamKey(stream, prefix));
      const entries = await waitFor(async () => {
        const found = await admin.xrange(dlq, '-', '+');
        return found.length > 0 ? found : undefined;
      }, { message: `a dead letter in ${dlq}` });
      expect(entries.map(([, fields]) => fieldsToObject(fields))).toEqual([
        expect.objectContaining({
          id: event.id,
          type: event.type,
          dlq_reason: 'invalid',
          dlq_error: `event type "${event.type}" does not belong on this stream (it carries ${STREAMS[stream].types.join(', ')})`,
          dlq_stream: streamKey(stream, prefix),
          dlq_id: entryIds.get(stream),
          dlq_group: group,
        }),
      ]);
    }
    // Nothing was evaluated from the foreign entries: the only alert is the rule's.
    const { items } = await api.get<{ items: Array<{ labels: Record<string, string> }> }>('/alerts');
    expect(items.map((alert) => alert.labels['symbol'])).toEqual([symbol]);
  }, 60_000);
});
