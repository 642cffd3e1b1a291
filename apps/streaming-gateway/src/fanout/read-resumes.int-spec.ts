import { streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { parseChannel, type Channel, type ChannelStream } from '../channels';
import { alertEvent, publishEvents, testRedis, uniquePrefix } from '../test/gateway-test-kit';
import { readReplay } from './read-replay';
import { readResumes, type StreamHistory } from './read-resumes';
import { readStreamPosition } from './stream-position';

function channel(name: string): Channel {
  const parsed = parseChannel(name);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.channel;
}

describe('readResumes', () => {
  let redis: RedisConnection;

  afterAll(async () => {
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
  });

  /** The history a gateway reads, with `afterPosition` run right after each position read (before any replay). */
  function history(prefix: string, afterPosition: (key: string) => Promise<unknown>): Pick<StreamHistory, 'position' | 'replay'> {
    const keyOf = (stream: ChannelStream): string => streamKey(stream, prefix);
    return {
      position: async (stream) => {
        const position = await readStreamPosition(redis, keyOf(stream));
        await afterPosition(keyOf(stream));
        return position;
      },
      replay: (stream, query) => readReplay(redis, { stream, key: keyOf(stream), ...query }),
    };
  }

  it('issue 11 item 1: a trim between the position read and the replay read is reported as trimmed, never as recovered with a gap', async () => {
    const prefix = uniquePrefix();
    const ids = await publishEvents(redis, prefix, 'alerts', Array.from({ length: 20 }, (_, i) => alertEvent(`a-${i}`)));
    const since = ids[4];
    // A producer's XADD ... MAXLEN lands after the position was read: ids[0..9] go, since and the five after it included.
    const [resume] = await readResumes(history(prefix, (key) => redis.xtrim(key, 'MAXLEN', 10)), [{ channel: channel('alerts'), since }], 1_000);
    if (resume.outcome === 'recovered') expect(resume.events.map((event) => event.id)).toEqual(ids.slice(5));
    expect(resume).toEqual({ outcome: 'trimmed', end: ids[19], events: [] });
  });

  it('issue 11 item 1: a trim that leaves the position in the stream still recovers every event after it', async () => {
    const prefix = uniquePrefix();
    const ids = await publishEvents(redis, prefix, 'alerts', Array.from({ length: 20 }, (_, i) => alertEvent(`a-${i}`)));
    const [resume] = await readResumes(history(prefix, (key) => redis.xtrim(key, 'MAXLEN', 16)), [{ channel: channel('alerts:a-7'), since: ids[4] }, { channel: channel('alerts'), since: ids[4] }], 1_000);
    expect(resume).toEqual({ outcome: 'recovered', end: ids[19], events: [expect.objectContaining({ id: ids[7] })] });
    const [, whole] = await readResumes(history(prefix, async () => undefined), [{ channel: channel('alerts:a-7'), since: ids[4] }, { channel: channel('alerts'), since: ids[4] }], 1_000);
    expect(whole.events.map((event) => event.id)).toEqual(ids.slice(5));
  });
});
