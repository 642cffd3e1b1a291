import { useRedis } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Connections, ManualClock, must, newStore } from './test/store-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const HOUR = 3_600_000;

describe('SilenceRepository expiry', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('issue 11 suspected: DELETE of a silence never overwrites a PUT that already got 200: the expired silence keeps what the PUT wrote', async () => {
    const clock = new ManualClock(T0);
    const other = newStore(conn, { clock: clock.now });
    const silence = await other.createSilence({ matchers: [{ name: 'symbol', value: 'OLD' }], endsAt: T0 + HOUR, createdBy: 'alice', comment: 'first' });
    // The expiring store's first write waits for an update made elsewhere to finish (a PUT
    // answered 200 between the expiry's read and its write).
    let beforeFirstWrite: (() => Promise<unknown>) | undefined = () =>
      other.updateSilence(silence.id, { matchers: [{ name: 'symbol', value: 'NEW' }], endsAt: T0 + 2 * HOUR, createdBy: 'bob', comment: 'second' });
    const interleave = async () => {
      const run = beforeFirstWrite;
      beforeFirstWrite = undefined;
      await run?.();
    };
    const racingConn = new Proxy(conn, {
      get(target, property, receiver) {
        // A script runs as the command LuaScript registers on the connection (`lua_<sha>`).
        if (typeof property === 'string' && property.startsWith('lua_') && typeof Reflect.get(target, property) === 'function') {
          return async (...args: unknown[]) => {
            await interleave();
            return (Reflect.get(target, property) as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        if (property === 'multi') {
          return () => {
            const pipeline = target.multi();
            const exec = pipeline.exec.bind(pipeline);
            pipeline.exec = (async () => {
              await interleave();
              return exec();
            }) as typeof pipeline.exec;
            return pipeline;
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const racing = newStore(racingConn, { alertsStream: other.keys.stream, clock: clock.now });

    const expired = await racing.deleteSilence(silence.id);

    expect(beforeFirstWrite).toBeUndefined();
    expect(expired).toMatchObject({ state: 'expired', comment: 'second', createdBy: 'bob', matchers: [{ value: 'NEW' }] });
    expect(must(await racing.getSilence(silence.id))).toMatchObject({ state: 'expired', endsAt: T0, comment: 'second', matchers: [{ value: 'NEW' }] });
  });

  it('issue 11 item 9: expiring a pending silence ends it at once: it never becomes active and a later update gets silence_expired', async () => {
    const clock = new ManualClock(T0);
    const store = newStore(conn, { clock: clock.now });
    const pending = await store.createSilence({ matchers: [{ name: 'symbol', value: 'LATER' }], startsAt: T0 + HOUR, endsAt: T0 + 2 * HOUR, createdBy: 'alice', comment: 'planned' });
    const expired = await store.deleteSilence(pending.id);
    expect(expired).toMatchObject({ state: 'expired', startsAt: T0, endsAt: T0 });
    for (const at of [T0, T0 + HOUR, T0 + HOUR + 1]) {
      clock.nowMs = at;
      expect(must(await store.getSilence(pending.id)).state).toBe('expired');
      expect(await store.listSilences({ state: 'active' })).toEqual([]);
    }
    await expect(store.updateSilence(pending.id, { matchers: [{ name: 'symbol', value: 'LATER' }], endsAt: T0 + 3 * HOUR, createdBy: 'bob', comment: 'again' })).rejects.toMatchObject({
      code: 'ERR_SILENCE_EXPIRED',
    });
  });
});
