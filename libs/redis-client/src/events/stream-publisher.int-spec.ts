import { useRedis } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { createEvent, type CloudEvent } from './cloud-event';
import { decodeEntry } from './event-codec';
import { EventValidationError } from './event-validation-error';
import { StreamPublisher } from './stream-publisher';

const price = (n = 1): CloudEvent =>
  createEvent({ type: 'price_update', source: '/test', subject: 'BTC', data: { symbol: 'BTC', price: n, currency: 'USD' } });

// The server outlives the describe below, so its clients close before the server goes.
const redis = useRedis();

describe('StreamPublisher', () => {
  let client: Redis;

  beforeAll(() => {
    client = new Redis(redis.server.url, { maxRetriesPerRequest: null });
  });
  afterAll(() => client.disconnect());

  const unique = () => `test:${randomUUID()}:`;

  it('appends a valid event under the prefixed key and returns its entry id', async () => {
    const prefix = unique();
    const registry = new Registry();
    const publisher = new StreamPublisher({ redis: client, prefix, registry });
    const event = price(64000);
    const id = await publisher.publish('market_data', event);
    const entries = await client.xrange(`${prefix}market_data`, '-', '+');
    expect(entries).toHaveLength(1);
    expect(entries[0][0]).toBe(id);
    expect(decodeEntry(entries[0][1])).toEqual({ ok: true, event });
    const metric = await registry.getSingleMetric('rebal_events_published_total')?.get();
    expect(metric?.values).toEqual([{ labels: { stream: 'market_data', type: 'price_update' }, value: 1 }]);
  });

  it('refuses an invalid event with ERR_EVENT_INVALID and writes nothing', async () => {
    const prefix = unique();
    const publisher = new StreamPublisher({ redis: client, prefix });
    const bad = price(-3);
    const error = await publisher.publish('market_data', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventValidationError);
    expect(error).toMatchObject({ code: 'ERR_EVENT_INVALID', reason: 'data/price must be > 0' });
    expect(await client.exists(`${prefix}market_data`)).toBe(0);
  });

  it('refuses an event type that does not belong on a stream of the table', async () => {
    const prefix = unique();
    const publisher = new StreamPublisher({ redis: client, prefix });
    const heartbeat = createEvent({
      type: 'heartbeat',
      source: '/t',
      data: { service: 's', instance: 'i', version: '1', startedAt: new Date().toISOString(), uptimeSeconds: 0, status: 'healthy' },
    });
    await expect(publisher.publish('market_data', heartbeat)).rejects.toMatchObject({ code: 'ERR_EVENT_INVALID' });
    await expect(publisher.publish('service_heartbeats', heartbeat)).resolves.toMatch(/^\d+-\d+$/);
  });

  it('writes nothing from a batch that holds one invalid event', async () => {
    const prefix = unique();
    const publisher = new StreamPublisher({ redis: client, prefix });
    await expect(publisher.publishMany('market_data', [price(1), price(0), price(2)])).rejects.toBeInstanceOf(EventValidationError);
    expect(await client.exists(`${prefix}market_data`)).toBe(0);
  });

  it('trims an unknown stream to about its maxLen', async () => {
    const stream = `${unique()}trimmed`;
    const publisher = new StreamPublisher({ redis: client, maxLen: 100 });
    const events = Array.from({ length: 2_000 }, (_, i) => price(i + 1));
    const ids = await publisher.publishMany(stream, events);
    expect(new Set(ids).size).toBe(2_000);
    const length = await client.xlen(stream);
    // MAXLEN ~ trims whole radix-tree nodes (100 entries each by default): never below 100, never far above.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(300);
    const last = await client.xrevrange(stream, '+', '-', 'COUNT', 1);
    expect(last[0][0]).toBe(ids[ids.length - 1]);
  });

  it('trims a stream of the table to the MAXLEN the table gives it', async () => {
    const prefix = unique();
    const publisher = new StreamPublisher({ redis: client, prefix, maxLen: 10 });
    const beat = () =>
      createEvent({
        type: 'heartbeat',
        source: '/t',
        data: { service: 's', instance: 'i', version: '1', startedAt: new Date().toISOString(), uptimeSeconds: 1, status: 'healthy' },
      });
    await publisher.publishMany('service_heartbeats', Array.from({ length: 3_000 }, beat));
    const length = await client.xlen(`${prefix}service_heartbeats`);
    expect(length).toBeGreaterThanOrEqual(1_000);
    expect(length).toBeLessThanOrEqual(1_200);
  });
});
