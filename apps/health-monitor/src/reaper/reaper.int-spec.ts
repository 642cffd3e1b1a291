import { randomUUID } from 'node:crypto';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { HeartbeatRegistry } from '../collectors';
import { connect, groupNames } from '../test/monitor-harness';
import type { ReapAction } from './plan-reaping';
import { Reaper } from './reaper';
import { RedisLease } from './redis-lease';

const redis = useRedis();

jest.setTimeout(15_000);

const GRACE_MS = 200;

describe('Reaper', () => {
  let conn: RedisConnection;
  beforeAll(async () => {
    conn = await connect(redis.server);
  });
  afterAll(() => conn?.disconnect());

  /** A reaper holding a fresh lease of its own; `stall(ms)` moves the lease's clock on as a stalled process would see it. */
  async function reaper(prefix: string): Promise<{ reaper: Reaper; stall(ms: number): void }> {
    let offsetMs = 0;
    const lease = new RedisLease({ redis: conn, key: `${prefix}lease`, owner: 'me', ttlMs: 30_000, registry: new Registry(), now: () => Date.now() + offsetMs });
    expect(await lease.refresh()).toBe(true);
    const registry = new HeartbeatRegistry({ redis: conn, key: `${prefix}instances`, ttlMs: 60_000 });
    return {
      reaper: new Reaper({ redis: conn, registry, lease, graceMs: GRACE_MS, metricsRegistry: new Registry() }),
      stall: (ms) => {
        offsetMs += ms;
      },
    };
  }

  /** Consumer names of `group` on `stream`. */
  async function consumers(stream: string, group: string): Promise<string[]> {
    return ((await conn.xinfo('CONSUMERS', stream, group)) as unknown[][]).map((c) => String(c[1])).sort();
  }

  /** Fan-out groups `gateway.a` and `gateway.b` on a new stream, an entry waiting for both, both planned for destruction. */
  async function twoUnreadGroups(stream: string): Promise<ReapAction[]> {
    for (const group of ['gateway.a', 'gateway.b']) await conn.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    await conn.xadd(stream, '*', 'note', 'waiting');
    return ['a', 'b'].map((instance) => ({ kind: 'destroy-group', stream, group: `gateway.${instance}`, instance, lastDeliveredId: '0-0', reason: 'planned' }));
  }

  it('issue 11 suspected: keeps a fan-out group that read what was waiting after the plan was made', async () => {
    const prefix = `r${randomUUID().slice(0, 8)}:`;
    const stream = `${prefix}alerts`;
    const actions = await twoUnreadGroups(stream);
    const { reaper: r } = await reaper(prefix);
    const t0 = Date.now();
    // Seen waiting once: too soon to tell.
    expect(await r.run(actions, [], t0)).toMatchObject({ groups: 0, kept: 2 });
    expect(await groupNames(conn, stream)).toEqual(['gateway.a', 'gateway.b']);
    // Between the plan and the deletion, instance a reads: its reader is alive after all.
    await conn.call('XREADGROUP', 'GROUP', 'gateway.a', 'a', 'NOACK', 'STREAMS', stream, '>');
    const result = await r.run(actions, [], t0 + GRACE_MS + 1);
    expect(await groupNames(conn, stream)).toEqual(['gateway.a']);
    expect(result).toMatchObject({ groups: 1, failures: 0 });
  });

  it('issue 11 suspected: does not delete a consumer that took entries after the plan was made', async () => {
    const prefix = `r${randomUUID().slice(0, 8)}:`;
    const stream = `${prefix}market_data`;
    await conn.xgroup('CREATE', stream, 'alert-service', '$', 'MKSTREAM');
    // Two consumers of gone instances, idle with nothing pending when the plan is made.
    for (const consumer of ['taker', 'sleeper']) await conn.call('XGROUP', 'CREATECONSUMER', stream, 'alert-service', consumer);
    await waitFor(async () => {
      const info = (await conn.xinfo('CONSUMERS', stream, 'alert-service')) as unknown[][];
      return info.every((c) => Number(c[c.indexOf('idle') + 1]) > GRACE_MS * 2);
    }, { message: 'both consumers idle past the grace period' });
    const actions: ReapAction[] = ['taker', 'sleeper'].map((consumer) => ({ kind: 'delete-consumer', stream, group: 'alert-service', consumer, reason: 'planned' }));
    // Then one of them takes an entry: deleting it now would drop that entry from the pending list.
    await conn.xadd(stream, '*', 'note', 'taken');
    await conn.call('XREADGROUP', 'GROUP', 'alert-service', 'taker', 'STREAMS', stream, '>');
    const { reaper: r } = await reaper(prefix);
    const result = await r.run(actions, [], Date.now());
    expect(await consumers(stream, 'alert-service')).toEqual(['taker']);
    expect(result).toMatchObject({ consumers: 1, failures: 0 });
    const pending = (await conn.xpending(stream, 'alert-service')) as unknown[];
    expect(pending[0]).toBe(1);
  });

  it('issue 11 suspected: deletes nothing once its lease is lost', async () => {
    const prefix = `r${randomUUID().slice(0, 8)}:`;
    const stream = `${prefix}risk_events`;
    const actions = await twoUnreadGroups(stream);
    const { reaper: r, stall } = await reaper(prefix);
    const t0 = Date.now();
    await r.run(actions, [], t0);
    // The process stalled past its lease's lifetime, and another replica took the lease.
    stall(31_000);
    await conn.set(`${prefix}lease`, 'elsewhere:token', 'PX', 60_000);
    expect(await r.run(actions, [], t0 + GRACE_MS + 1)).toMatchObject({ groups: 0, leaseLost: true });
    expect(await groupNames(conn, stream)).toEqual(['gateway.a', 'gateway.b']);
  });
});
