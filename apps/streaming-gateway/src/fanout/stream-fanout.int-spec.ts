import { duplicateConnection, encodeEvent, streamKey, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { alertEvent, portfolioEvent, priceEvent, publishEvents, testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { StreamFanout } from './stream-fanout';

describe('StreamFanout', () => {
  let redis: RedisConnection;
  const fanouts: StreamFanout[] = [];

  afterAll(async () => {
    await Promise.all(fanouts.map((fanout) => fanout.stop()));
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  async function startFanout(prefix: string, name: string): Promise<{ fanout: StreamFanout; ids: string[]; events: CloudEvent[] }> {
    const ids: string[] = [];
    const events: CloudEvent[] = [];
    const fanout = new StreamFanout({
      redis,
      blockingRedis: duplicateConnection(redis, { name }),
      stream: 'market_data',
      key: streamKey('market_data', prefix),
      group: `gateway.${name}`,
      consumer: name,
      registry: new Registry(),
      blockMs: 200,
      onEvent: (_stream, id, event) => {
        ids.push(id);
        events.push(event);
      },
      onDiscontinuity: () => undefined,
    });
    fanouts.push(fanout);
    await fanout.start();
    return { fanout, ids, events };
  }

  it('hands on new entries once each, in stream order', async () => {
    const prefix = uniquePrefix();
    const { ids, events } = await startFanout(prefix, 'order');
    const published = await publishEvents(redis, prefix, 'market_data', Array.from({ length: 1_200 }, (_, i) => priceEvent('BTC', i)));
    await waitFor(() => ids.length >= published.length);
    expect(ids).toEqual(published);
    expect(events[0]).toMatchObject({ type: 'price_update', subject: 'BTC' });
  });

  it('skips the backlog of a group left over from an earlier run with the same instance id', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('market_data', prefix);
    await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    await redis.xgroup('CREATE', key, 'gateway.leftover', '0');
    const { ids } = await startFanout(prefix, 'leftover');
    const [fresh] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 2)]);
    await waitFor(() => ids.length === 1);
    expect(ids).toEqual([fresh]);
  });

  it('catches up after a reconnect with entries whose NOACK read reply was lost', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('market_data', prefix);
    const { ids } = await startFanout(prefix, 'lost-reply');
    const [before] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 0)]);
    await waitFor(() => ids.length === 1);
    // As if Redis ran a NOACK read and its reply died with the connection: the group moves
    // past five entries the reader never sees (the blocked read wakes after the transaction).
    const transaction = redis.multi();
    for (let i = 1; i <= 5; i++) transaction.xadd(key, '*', 'specversion', '1.0', 'id', `lost-${i}`, 'source', '/test', 'type', 'price_update', 'time', new Date().toISOString(), 'subject', 'BTC', 'datacontenttype', 'application/json', 'data', JSON.stringify({ symbol: 'BTC', price: i, currency: 'USD' }));
    transaction.xgroup('SETID', key, 'gateway.lost-reply', '$');
    const replies = (await transaction.exec()) ?? [];
    const lost = replies.slice(0, 5).map(([, id]) => String(id));
    const clients = String(await redis.client('LIST')).split('\n');
    const blocking = clients.find((line) => line.includes('name=rebal:lost-reply'));
    expect(blocking).toBeDefined();
    await redis.client('KILL', 'ID', String(/\bid=(\d+)/.exec(blocking ?? '')?.[1]));
    const [after] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 6)]);
    await waitFor(() => ids.length >= 7, { message: () => `handed on ${ids.length} of 7` });
    expect(ids).toEqual([before, ...lost, after]);
  });

  it('never hands on an event of another stream type, read live or in a catch-up after a reconnect', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('market_data', prefix);
    const { ids, events } = await startFanout(prefix, 'foreign');
    // Schema-valid events a producer allowed to XADD market_data could put there directly.
    const foreign = [alertEvent('foreign-live'), portfolioEvent('foreign-live')];
    const foreignIds: string[] = [];
    for (const event of foreign) foreignIds.push((await redis.xadd(key, '*', ...encodeEvent(event))) as string);
    const [live] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    await waitFor(() => ids.length >= 1);
    expect(ids).toEqual([live]);

    // The same during a catch-up: the group moves past entries whose NOACK reply is lost.
    const transaction = redis.multi();
    transaction.xadd(key, '*', ...encodeEvent(alertEvent('foreign-caught-up')));
    transaction.xadd(key, '*', ...encodeEvent(priceEvent('BTC', 2)));
    transaction.xgroup('SETID', key, 'gateway.foreign', '$');
    const replies = (await transaction.exec()) ?? [];
    const [foreignCaughtUp, caughtUp] = replies.slice(0, 2).map(([, id]) => String(id));
    const blocking = String(await redis.client('LIST')).split('\n').find((line) => line.includes('name=rebal:foreign'));
    expect(blocking).toBeDefined();
    await redis.client('KILL', 'ID', String(/\bid=(\d+)/.exec(blocking ?? '')?.[1]));
    const [after] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 3)]);
    await waitFor(() => ids.length >= 3, { message: () => `handed on ${ids.length} of 3` });
    expect(ids).toEqual([live, caughtUp, after]);
    expect(ids).not.toContain(foreignCaughtUp);
    expect(events.map((event) => event.type)).toEqual(['price_update', 'price_update', 'price_update']);
    for (const id of foreignIds) expect(ids).not.toContain(id);
  });

  it('deletes its group after stopping', async () => {
    const prefix = uniquePrefix();
    const { fanout } = await startFanout(prefix, 'destroy');
    await fanout.stop();
    expect(await fanout.destroyGroup()).toBe(true);
    const groups = (await redis.xinfo('GROUPS', streamKey('market_data', prefix))) as unknown[];
    expect(groups).toEqual([]);
  });
});
