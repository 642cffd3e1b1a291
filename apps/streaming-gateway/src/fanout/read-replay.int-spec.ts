import { encodeEvent, streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { alertEvent, portfolioEvent, priceEvent, publishEvents, testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { readReplay } from './read-replay';

describe('readReplay', () => {
  let redis: RedisConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  it('replays the events of the stream types only, never those a foreign producer put there', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('market_data', prefix);
    const [first] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    // Schema-valid, of known types, but of other streams: XADDed directly, past StreamPublisher.
    const foreign = [
      (await redis.xadd(key, '*', ...encodeEvent(alertEvent('a-1')))) as string,
      (await redis.xadd(key, '*', ...encodeEvent({ ...portfolioEvent('p-1'), subject: 'BTC' }))) as string,
    ];
    const [last] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 2)]);

    for (const subject of [undefined, 'BTC']) {
      const result = await readReplay(redis, { stream: 'market_data', key, since: '0-0', end: last, subject, cap: 10 });
      expect(result.outcome).toBe('recovered');
      const ids = result.outcome === 'recovered' ? result.events.map((replayed) => replayed.id) : [];
      expect(ids).toEqual([first, last]);
      for (const id of foreign) expect(ids).not.toContain(id);
    }
  });

  it('does not count foreign events against the cap', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('alerts', prefix);
    const [raised] = await publishEvents(redis, prefix, 'alerts', [alertEvent('a-1')]);
    for (let i = 0; i < 3; i++) await redis.xadd(key, '*', ...encodeEvent(priceEvent('BTC', i)));
    const end = (await redis.xadd(key, '*', ...encodeEvent(priceEvent('BTC', 9)))) as string;
    const result = await readReplay(redis, { stream: 'alerts', key, since: '0-0', end, cap: 1, pageSize: 2 });
    expect(result).toEqual({ outcome: 'recovered', events: [expect.objectContaining({ id: raised, event: expect.objectContaining({ type: 'alert.raised' }) })] });
  });

  it('issue 11 suspected: reports trimmed for a since the stream does not hold although its head precedes it (lost in a failover)', async () => {
    const prefix = uniquePrefix();
    const key = streamKey('alerts', prefix);
    const base = Date.now();
    // Never trimmed: base-0 and base-7 (written by a new master below base-5, which it never had).
    await redis.xadd(key, `${base}-0`, ...encodeEvent(alertEvent('a-0')));
    const end = (await redis.xadd(key, `${base}-7`, ...encodeEvent(alertEvent('a-7')))) as string;
    expect(await readReplay(redis, { stream: 'alerts', key, since: `${base}-5`, end, cap: 10 })).toEqual({ outcome: 'trimmed' });
  });
});
