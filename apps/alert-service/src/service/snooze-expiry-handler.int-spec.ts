import type { RedisConnection } from '@rebal/redis-client';
import { useRedis } from '@rebal/redis-testing';
import { commit, Connections, ManualClock, must, newStore, transitionOf } from '../store/test/store-test-kit';
import { createSnoozeExpiryHandler } from './snooze-expiry-handler';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const MINUTE = 60_000;

describe('createSnoozeExpiryHandler', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
  });

  it('issue 11 suspected: a severity change on a snoozed alert does not disarm its snooze-expiry job: the job still lifts the snooze when it ends', async () => {
    const clock = new ManualClock(T0);
    const store = newStore(conn, { clock: clock.now });
    const [raised] = await commit(store, [transitionOf({ transition: 'raise', severity: 'S1', atMs: T0 })]);
    const id = must(raised).alert.id;
    const snoozed = await store.snooze(id, 5, 'user:alice');
    // The rule moves the snoozed alert to S2: a new version, still snoozed until the same time.
    const [updated] = await commit(store, [transitionOf({ transition: 'update', severity: 'S2', previousSeverity: 'S1', atMs: T0 + MINUTE })]);
    expect(must(updated).alert).toMatchObject({ status: 'snoozed', severity: 'S2', version: snoozed.alert.version + 1 });

    const expire = createSnoozeExpiryHandler(store);
    clock.nowMs = T0 + 5 * MINUTE;
    // The job scheduled by the snooze carries the snooze's version.
    await expire(id, snoozed.alert.version);
    expect(must(await store.get(id))).toMatchObject({ status: 'firing', severity: 'S2' });
  });

  it('leaves an alert re-snoozed since alone: the first snooze\'s job fires before the new end', async () => {
    const clock = new ManualClock(T0);
    const store = newStore(conn, { clock: clock.now });
    const [raised] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
    const id = must(raised).alert.id;
    const first = await store.snooze(id, 5, 'user:alice');
    await store.snooze(id, 60, 'user:alice');
    clock.nowMs = T0 + 5 * MINUTE;
    await createSnoozeExpiryHandler(store)(id, first.alert.version);
    expect(must(await store.get(id)).status).toBe('snoozed');
  });
});
