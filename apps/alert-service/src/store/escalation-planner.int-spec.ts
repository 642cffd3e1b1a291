import { useRedis } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { AlertRecord } from '../alerts';
import type { RuleKind } from '../rules';
import type { RuleTransition } from './alert-from-transition';
import { AlertStore } from './alert-store';
import type { CommittedChange } from './alert-change-writer';
import { commit, Connections, must, readStream, transitionOf, unique } from './test/store-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const MIN = 60_000;

/** A connection whose commit scripts wait for `release()`: two commits can be planned from one read, then applied in a chosen order. */
interface GatedConnection {
  conn: RedisConnection;
  /** Resolves once the commit's plan is built and its script is about to be sent. */
  planned: Promise<void>;
  release(): void;
}

function gated(conn: RedisConnection): GatedConnection {
  let onPlanned: () => void = () => undefined;
  const planned = new Promise<void>((resolve) => (onPlanned = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const proxy = new Proxy(conn, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // A script runs as the command LuaScript registers on the connection (`lua_<sha>`).
      if (typeof property !== 'string' || !property.startsWith('lua_')) return value.bind(target);
      return async (...args: unknown[]) => {
        onPlanned();
        await released;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { conn: proxy, planned, release };
}

const labels = (symbol: string, ruleId = `chg-${symbol}`, kind: RuleKind = 'price_change') => ({ rule: ruleId, kind, symbol });

/** An S2 raise of the `price_change` rule `chg-<symbol>` (or `ruleId`). */
function s2(symbol: string, atMs: number, ruleId = `chg-${symbol}`): RuleTransition {
  return transitionOf({ kind: 'price_change', ruleId, transition: 'raise', severity: 'S2', labels: labels(symbol, ruleId), atMs });
}

function resolveOf(symbol: string, atMs: number, ruleId = `chg-${symbol}`): RuleTransition {
  return transitionOf({ kind: 'price_change', ruleId, transition: 'resolve', severity: 'S2', labels: labels(symbol, ruleId), atMs });
}

/** Commits as the event processor does: a conflict means "re-read and try again". */
async function commitRetrying(store: AlertStore, transitions: RuleTransition[]): Promise<CommittedChange[]> {
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const result = await store.applyEvaluation({ states: [], transitions });
    if (result.status === 'committed') return result.changes;
  }
  throw new Error('still conflicting after 50 attempts');
}

const escalationOf = (changes: readonly CommittedChange[]) => changes.find((change) => change.alert.escalation !== undefined);

describe('EscalationPlanner (standalone)', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({ appendonly: false }, 120_000);
  let conn: RedisConnection;
  let other: RedisConnection;
  beforeAll(() => {
    conn = connections.connect(redis.server, 'replica-a');
    other = connections.connect(redis.server, 'replica-b');
  });

  /** A store on `stream` as one replica sees it. */
  const storeOn = (connection: RedisConnection, stream: string) => new AlertStore({ redis: connection, alertsStream: stream, registry: new Registry() });

  /** The escalation alerts of a stream (open or not). */
  async function escalations(store: AlertStore): Promise<AlertRecord[]> {
    const page = await store.list({ severity: 'S3' });
    return page.items.filter((alert) => alert.escalation !== undefined);
  }

  /** A stream with an open escalation over the S2 alerts of BTC and ETH. */
  async function escalated(stream: string): Promise<{ store: AlertStore; escalation: AlertRecord }> {
    const store = storeOn(conn, stream);
    await commit(store, [s2('BTC', T0)]);
    const changes = await commit(store, [s2('ETH', T0 + 1000)]);
    return { store, escalation: must(escalationOf(changes), 'escalation').alert };
  }

  it('issue 11 item 10: the escalation resolves when its last two sources resolve in commits planned from the same read', async () => {
    const stream = unique('alerts');
    const { store, escalation } = await escalated(stream);
    const x = gated(conn);
    const y = gated(other);
    const first = storeOn(x.conn, stream).applyEvaluation({ states: [], transitions: [resolveOf('BTC', T0 + 5000)] });
    const second = storeOn(y.conn, stream).applyEvaluation({ states: [], transitions: [resolveOf('ETH', T0 + 6000)] });
    await Promise.all([x.planned, y.planned]);

    x.release();
    expect((await first).status).toBe('committed');
    y.release();
    // Planned while BTC was open: applied after BTC resolved, it must not commit as planned.
    expect((await second).status).toBe('conflict');
    await commitRetrying(storeOn(other, stream), [resolveOf('ETH', T0 + 6000)]);

    expect(must(await store.get(escalation.id))).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
  });

  it('issue 11 item 10: the escalation resolves in each of 20 trials where its last two sources resolve concurrently', async () => {
    const stillOpen: number[] = [];
    for (let trial = 0; trial < 20; trial += 1) {
      const stream = unique('alerts');
      const { store, escalation } = await escalated(stream);
      await Promise.all([
        commitRetrying(storeOn(conn, stream), [resolveOf('BTC', T0 + 5000)]),
        commitRetrying(storeOn(other, stream), [resolveOf('ETH', T0 + 5000)]),
      ]);
      if (must(await store.get(escalation.id)).status !== 'resolved') stillOpen.push(trial);
    }
    expect(stillOpen).toEqual([]);
  });

  it('issue 11 item 11: a commit that resolves the last open source and raises a new one keeps the escalation open, one event per version', async () => {
    const stream = unique('alerts');
    const { store, escalation } = await escalated(stream);
    await commit(store, [resolveOf('ETH', T0 + 2000)]);

    const changes = await commit(store, [resolveOf('BTC', T0 + 3000), s2('SOL', T0 + 3000)]);

    expect(changes.map((change) => [change.type, change.alert.labels['symbol'] ?? 'escalation'])).toEqual([
      ['alert.resolved', 'BTC'],
      ['alert.raised', 'SOL'],
      ['alert.updated', 'escalation'],
    ]);
    const stored = must(await store.get(escalation.id));
    expect(stored).toMatchObject({ status: 'firing', version: 2 });
    expect(stored.escalation?.sourceAlertIds).toHaveLength(3);
    const ids = (await readStream(conn, store.keys.stream)).map((entry) => entry.event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('issue 11 item 12: an S2 alert committed after a later one escalates as in event-time order', async () => {
    const store = storeOn(conn, unique('alerts'));
    const [later] = await commit(store, [s2('ETH', T0 + 10 * MIN)]);
    const changes = await commit(store, [s2('BTC', T0)]);

    const escalation = must(escalationOf(changes), 'escalation');
    expect(escalation.type).toBe('alert.escalated');
    expect(escalation.alert.escalation?.sourceAlertIds).toEqual([must(changes[0]).alert.id, must(later).alert.id]);
    // Event-time order escalates when the second S2 alert arrives.
    expect(escalation.alert.startsAt).toBe(T0 + 10 * MIN);
  });

  it.each([
    ['the older event first', ['x', 'y']],
    ['the newer event first', ['y', 'x']],
  ])('issue 11 item 12: two S2 alerts planned from the same read escalate whichever commits first (%s)', async (_name, order) => {
    const stream = unique('alerts');
    const x = gated(conn);
    const y = gated(other);
    const commits = {
      x: { gate: x, store: storeOn(x.conn, stream), transitions: [s2('BTC', T0)] },
      y: { gate: y, store: storeOn(y.conn, stream), transitions: [s2('ETH', T0 + 10 * MIN)] },
    };
    const pending = {
      x: commits.x.store.applyEvaluation({ states: [], transitions: commits.x.transitions }),
      y: commits.y.store.applyEvaluation({ states: [], transitions: commits.y.transitions }),
    };
    await Promise.all([x.planned, y.planned]);
    const [winner, loser] = order as Array<'x' | 'y'>;

    commits[winner].gate.release();
    expect((await pending[winner]).status).toBe('committed');
    commits[loser].gate.release();
    expect((await pending[loser]).status).toBe('conflict');
    await commitRetrying(storeOn(conn, stream), commits[loser].transitions);

    const found = await escalations(storeOn(conn, stream));
    expect(found).toHaveLength(1);
    expect(must(found[0])).toMatchObject({ status: 'firing', startsAt: T0 + 10 * MIN });
    expect(must(found[0]).escalation?.sourceAlertIds).toHaveLength(2);
  });

  it('issue 11 item 12: two S2 alerts committed concurrently with out-of-order times escalate in each of 20 trials', async () => {
    const missed: number[] = [];
    for (let trial = 0; trial < 20; trial += 1) {
      const stream = unique('alerts');
      await Promise.all([commitRetrying(storeOn(conn, stream), [s2('BTC', T0 + 10 * MIN)]), commitRetrying(storeOn(other, stream), [s2('ETH', T0)])]);
      if ((await escalations(storeOn(conn, stream))).length !== 1) missed.push(trial);
    }
    expect(missed).toEqual([]);
  });

  it('issue 11 item 12: the decision does not depend on the newest occurrence in the plan', async () => {
    const store = storeOn(conn, unique('alerts'));
    const [stored] = await commit(store, [s2('ETH', T0 + 5 * MIN)]);

    const changes = await commit(store, [s2('BTC', T0), s2('SOL', T0 + 40 * MIN)]);

    // Event-time order: BTC (T0) and ETH (+5 min) escalate at +5 min; SOL (+40 min) joins the open escalation.
    const escalation = must(escalationOf(changes), 'escalation');
    expect(escalation.alert.startsAt).toBe(T0 + 5 * MIN);
    expect(escalation.alert.escalation?.sourceAlertIds).toEqual([must(changes[0]).alert.id, must(stored).alert.id, must(changes[1]).alert.id]);
  });

  it('issue 11 item 13: an S2 alert more than 30 minutes after the burst joins the open escalation, which then waits for it', async () => {
    const stream = unique('alerts');
    const { store, escalation } = await escalated(stream);

    const joined = await commit(store, [s2('SOL', T0 + 45 * MIN)]);
    expect(joined.map((change) => change.type)).toEqual(['alert.raised', 'alert.updated']);
    expect(must(joined[1]).alert).toMatchObject({ id: escalation.id, value: 3 });

    await commit(store, [resolveOf('BTC', T0 + 46 * MIN)]);
    await commit(store, [resolveOf('ETH', T0 + 46 * MIN)]);
    expect(must(await store.get(escalation.id)).status).toBe('firing');
    const last = await commit(store, [resolveOf('SOL', T0 + 47 * MIN)]);
    expect(last.map((change) => [change.type, change.actor])).toEqual([
      ['alert.resolved', 'rule:chg-SOL'],
      ['alert.resolved', 'system'],
    ]);
  });

  it('issue 11 item 18: alerts of a rule whose id is "escalation" escalate, and their escalation resolves with them', async () => {
    const store = storeOn(conn, unique('alerts'));
    await commit(store, [s2('BTC', T0, 'escalation')]);
    const changes = await commit(store, [s2('ETH', T0 + 1000, 'escalation')]);

    const escalation = must(escalationOf(changes), 'escalation');
    expect(escalation.type).toBe('alert.escalated');
    await commit(store, [resolveOf('BTC', T0 + 2000, 'escalation')]);
    const last = await commit(store, [resolveOf('ETH', T0 + 3000, 'escalation')]);
    expect(last.map((change) => [change.type, change.actor])).toEqual([
      ['alert.resolved', 'rule:escalation'],
      ['alert.resolved', 'system'],
    ]);
  });

  it('issue 11 review: the planner reads the S2 occurrences and their version as one snapshot', async () => {
    const stream = unique('alerts');
    const store = storeOn(conn, stream);
    const versionKey = store.keys.s2Version('price_change');
    let onReading: () => void = () => undefined;
    const reading = new Promise<void>((resolve) => (onReading = resolve));
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    // Holds a separate read of the version until another replica has committed.
    const slow = new Proxy(other, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property !== 'get') return value.bind(target);
        return async (key: string) => {
          if (key === versionKey) {
            onReading();
            await resumed;
          }
          return target.get(key);
        };
      },
    });
    const first = commitRetrying(storeOn(slow, stream), [s2('BTC', T0)]);
    await Promise.race([reading, first]);

    await commitRetrying(store, [s2('ETH', T0 + MIN)]);
    resume();
    await first;

    expect(await escalations(store)).toHaveLength(1);
  });
});
