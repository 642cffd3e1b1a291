/// <reference types="jest" />
import { useRedis, type StartRedisOptions } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import type { AlertStore } from '../alert-store';
import { alertKeys } from '../alert-keys';
import { commit, Connections, ManualClock, must, newStore, readStream, transitionOf, unique, type AlertEventPayload } from './store-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

/**
 * Alert changes against one kind of deployment: engine transitions, idempotency, compare-
 * and-set, API transitions and their table, history against the stream, escalation.
 */
export function describeAlertStoreChanges(mode: string, serverOptions: StartRedisOptions): void {
  describe(`AlertStore changes (${mode})`, () => {
    const connections = new Connections();
    afterAll(() => connections.closeAll());
    const redis = useRedis(serverOptions, 120_000);
    let conn: RedisConnection;
    let clock: ManualClock;
    let store: AlertStore;
    beforeEach(() => {
      conn ??= connections.connect(redis.server);
      clock = new ManualClock(T0);
      store = newStore(conn, { clock: clock.now });
    });

    it('raises an alert and commits it with one valid alert.raised event and its history entry', async () => {
      const [change] = await commit(store, [transitionOf({ transition: 'raise', severity: 'S2', value: 111, atMs: T0 })]);

      expect(change).toMatchObject({ type: 'alert.raised', actor: 'rule:btc-above', at: T0, notify: true });
      const stored = await store.get(must(change).alert.id);
      expect(stored).toEqual(must(change).alert);
      expect(stored).toMatchObject({ status: 'firing', severity: 'S2', value: 111, version: 1, startsAt: T0, type: 'price_threshold' });
      const events = await readStream(conn, store.keys.stream);
      expect(events).toHaveLength(1);
      expect(must(events[0]).streamId).toBe(must(change).streamId);
      expect(must(events[0]).event).toMatchObject({ type: 'alert.raised', subject: must(stored).id, source: '/alert-service', id: `${must(stored).id}:1` });
      expect(must(events[0]).event.data).toEqual({ alert: stored, actor: 'rule:btc-above', notify: true });
      expect(await store.history(must(stored).id)).toEqual([change]);
      expect(await conn.get(store.keys.fingerprint(must(stored).fingerprint))).toBe(must(stored).id);
    });

    it('updates the open alert of a fingerprint instead of raising a second one', async () => {
      const [raised] = await commit(store, [transitionOf({ transition: 'raise', severity: 'S1', atMs: T0 })]);
      const [again] = await commit(store, [transitionOf({ transition: 'raise', severity: 'S3', value: 130, atMs: T0 + 1000 })]);
      const [update] = await commit(store, [transitionOf({ transition: 'update', severity: 'S2', previousSeverity: 'S3', atMs: T0 + 2000 })]);

      expect(must(again).alert.id).toBe(must(raised).alert.id);
      expect(again).toMatchObject({ type: 'alert.updated', alert: { severity: 'S3', value: 130, version: 2 } });
      expect(update).toMatchObject({ type: 'alert.updated', alert: { id: must(raised).alert.id, severity: 'S2', version: 3 } });
      expect((await store.list()).items.map((alert) => alert.id)).toEqual([must(raised).alert.id]);
    });

    it('resolves the open alert on a resolve transition, after which the same condition raises a new alert', async () => {
      const [raised] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const [resolved] = await commit(store, [transitionOf({ transition: 'resolve', value: 90, atMs: T0 + 60_000 })]);
      const [next] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 + 120_000 })]);

      expect(resolved).toMatchObject({ type: 'alert.resolved', alert: { id: must(raised).alert.id, status: 'resolved', endsAt: T0 + 60_000, resolvedBy: 'rule:btc-above', version: 2 } });
      expect(must(next).alert.id).not.toBe(must(raised).alert.id);
      expect(must(next).type).toBe('alert.raised');
      expect(await conn.get(store.keys.fingerprint(must(next).alert.fingerprint))).toBe(must(next).alert.id);
    });

    it('commits nothing for a partition whose lease moved on: a redelivery after a takeover cannot raise twice', async () => {
      await conn.set(store.keys.lease(3), 'replica-b|8');
      const input = { fence: { partition: 3, lease: 'replica-a|7' }, states: [{ partition: 3, field: 'btc-above|f1', value: '{"s":{"phase":"firing"}}' }], transitions: [transitionOf({ transition: 'raise', atMs: T0 })] };
      expect(await store.applyEvaluation(input)).toEqual({ status: 'fenced', changes: [] });
      expect(await readStream(conn, store.keys.stream)).toHaveLength(0);
      expect(await conn.hgetall(store.keys.partitionStates(3))).toEqual({});

      const owned = await store.applyEvaluation({ ...input, fence: { partition: 3, lease: 'replica-b|8' } });
      expect(owned.status).toBe('committed');
      expect(await readStream(conn, store.keys.stream)).toHaveLength(1);
    });

    it('refuses a rule state write whose lease expired and writes nothing at all', async () => {
      await conn.set(store.keys.lease(4), 'replica-a|2', 'PX', 60_000);
      const write = { partition: 4, field: 'btc-above|f1', value: JSON.stringify({ s: { phase: 'pending', since: T0 }, v: 1 }) };
      expect((await store.applyEvaluation({ fence: { partition: 4, lease: 'replica-a|2' }, states: [write], transitions: [] })).status).toBe('committed');
      await conn.del(store.keys.lease(4));

      const stale = await store.applyEvaluation({
        fence: { partition: 4, lease: 'replica-a|2' },
        states: [{ ...write, value: JSON.stringify({ s: { phase: 'inactive' }, v: 2 }) }],
        transitions: [transitionOf({ transition: 'raise', atMs: T0 })],
      });

      expect(stale).toEqual({ status: 'fenced', changes: [] });
      expect(await conn.hgetall(store.keys.partitionStates(4))).toEqual({ 'btc-above|f1': write.value });
      expect(await readStream(conn, store.keys.stream)).toHaveLength(0);
    });

    it('writes and deletes rule states in their partition\'s hash with the commit', async () => {
      const fence = { partition: 5, lease: 'replica-a|1' };
      await conn.set(store.keys.lease(5), fence.lease);
      await store.applyEvaluation({ fence, states: [{ partition: 5, field: 'btc-above|f2', value: '{"s":{"phase":"cooldown"}}' }], transitions: [] });
      expect(await conn.hgetall(store.keys.partitionStates(5))).toEqual({ 'btc-above|f2': '{"s":{"phase":"cooldown"}}' });
      await store.applyEvaluation({ fence, states: [{ partition: 5, field: 'btc-above|f2', value: undefined }], transitions: [] });
      expect(await conn.exists(store.keys.partitionStates(5))).toBe(0);
    });

    it('acknowledges, snoozes, unsnoozes and resolves through the legal transitions, each with its event', async () => {
      const [raised] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const id = must(raised).alert.id;
      clock.advance(1000);
      const ack = await store.acknowledge(id, 'user:alice');
      const snoozed = await store.snooze(id, 30, 'user:bob');
      const unsnoozed = await store.unsnooze(id, { actor: 'user:bob' });
      const resolved = await store.resolve(id, 'user:alice');

      expect(ack).toMatchObject({ type: 'alert.acknowledged', notify: false, alert: { status: 'acknowledged', acknowledgedBy: 'user:alice', acknowledgedAt: T0 + 1000, version: 2 } });
      expect(snoozed).toMatchObject({ type: 'alert.snoozed', alert: { status: 'snoozed', snoozedUntil: T0 + 1000 + 30 * 60_000, snoozedBy: 'user:bob' } });
      expect(unsnoozed).toMatchObject({ type: 'alert.updated', notify: true, alert: { status: 'firing', version: 4 } });
      expect(must(unsnoozed).alert.snoozedUntil).toBeUndefined();
      expect(resolved).toMatchObject({ type: 'alert.resolved', notify: false, alert: { status: 'resolved', resolvedBy: 'user:alice', endsAt: T0 + 1000 } });
      const history = await store.history(id);
      expect(history.map((change) => [change.type, change.alert.version])).toEqual([
        ['alert.raised', 1], ['alert.acknowledged', 2], ['alert.snoozed', 3], ['alert.updated', 4], ['alert.resolved', 5],
      ]);
    });

    it('refuses illegal transitions with ERR_ILLEGAL_TRANSITION, unknown ids with ERR_ALERT_NOT_FOUND and bad snoozes with ERR_INVALID_INPUT', async () => {
      const [raised] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const id = must(raised).alert.id;
      await expect(store.unsnooze(id)).rejects.toMatchObject({ code: 'ERR_ILLEGAL_TRANSITION', status: 'firing' });
      await store.acknowledge(id, 'user:a');
      await expect(store.acknowledge(id, 'user:a')).rejects.toMatchObject({ code: 'ERR_ILLEGAL_TRANSITION' });
      await expect(store.snooze(id, 4, 'user:a')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', issues: [{ field: 'minutes' }] });
      await expect(store.snooze(id, 1441, 'user:a')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      await store.resolve(id, 'user:a');
      for (const action of [() => store.resolve(id, 'user:a'), () => store.acknowledge(id, 'user:a'), () => store.snooze(id, 5, 'user:a')]) {
        await expect(action()).rejects.toMatchObject({ code: 'ERR_ILLEGAL_TRANSITION', status: 'resolved' });
      }
      await expect(store.resolve('no-such-alert', 'user:a')).rejects.toMatchObject({ code: 'ERR_ALERT_NOT_FOUND' });
      await expect(store.history('no-such-alert')).rejects.toMatchObject({ code: 'ERR_ALERT_NOT_FOUND' });
      expect(await store.get('no-such-alert')).toBeUndefined();
      expect((await store.history(id)).length).toBe(3);
    });

    it('lifts an expired snooze once, and leaves a snooze that was renewed alone', async () => {
      const [a] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const [b] = await commit(store, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: 'ETH' }, atMs: T0 })]);
      await store.snooze(must(a).alert.id, 5, 'user:a');
      await store.snooze(must(b).alert.id, 5, 'user:a');
      clock.advance(60_000);
      await store.snooze(must(b).alert.id, 60, 'user:a');
      clock.advance(5 * 60_000);

      expect(await store.unsnooze(must(b).alert.id, { onlyIfExpired: true })).toBeUndefined();
      const lifted = await store.expireSnoozes();
      expect(lifted.map((change) => change.alert.id)).toEqual([must(a).alert.id]);
      expect(lifted[0]).toMatchObject({ type: 'alert.updated', actor: 'system', notify: true, alert: { status: 'firing' } });
      expect(await store.expireSnoozes()).toEqual([]);
      expect(must(await store.get(must(b).alert.id)).status).toBe('snoozed');
    });

    it('does not notify rule updates of a snoozed alert, but does notify its resolution', async () => {
      const [raised] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      await store.snooze(must(raised).alert.id, 60, 'user:a');
      const [update] = await commit(store, [transitionOf({ transition: 'update', severity: 'S3', previousSeverity: 'S1', atMs: T0 + 1 })]);
      const [resolved] = await commit(store, [transitionOf({ transition: 'resolve', severity: 'S3', atMs: T0 + 2 })]);

      expect(update).toMatchObject({ type: 'alert.updated', notify: false, suppressedBy: 'snooze', alert: { status: 'snoozed', severity: 'S3' } });
      expect(resolved).toMatchObject({ type: 'alert.resolved', notify: true, alert: { status: 'resolved' } });
      expect(resolved?.alert.snoozedUntil).toBeUndefined();
      expect(await conn.zscore(store.keys.snoozed, must(raised).alert.id)).toBeNull();
    });

    it('puts every change on the alerts stream once, in order, with the full record its history holds', async () => {
      const [one] = await commit(store, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const [two] = await commit(store, [transitionOf({ transition: 'raise', labels: { rule: 'x', kind: 'price_threshold', symbol: 'SOL' }, atMs: T0 + 1 })]);
      await commit(store, [transitionOf({ transition: 'update', severity: 'S2', previousSeverity: 'S1', atMs: T0 + 2 })]);
      await store.acknowledge(must(two).alert.id, 'user:a');
      await commit(store, [transitionOf({ transition: 'resolve', severity: 'S2', atMs: T0 + 3 })]);

      const stream = await readStream(conn, store.keys.stream);
      const histories = [...(await store.history(must(one).alert.id)), ...(await store.history(must(two).alert.id))];
      expect(stream).toHaveLength(histories.length);
      expect(new Set(stream.map((entry) => entry.event.id)).size).toBe(stream.length);
      for (const change of histories) {
        const entry = stream.find((candidate) => candidate.streamId === change.streamId);
        expect(entry?.event.type).toBe(change.type);
        expect((entry?.event.data as AlertEventPayload).alert).toEqual(change.alert);
      }
      const versionsOfOne = stream.filter((entry) => entry.event.subject === must(one).alert.id).map((entry) => (entry.event.data as AlertEventPayload).alert.version);
      expect(versionsOfOne).toEqual([1, 2, 3]);
    });

    it('raises one S3 escalation when two S2 alerts of one kind start within 30 minutes, and updates it for a third', async () => {
      const s2 = (symbol: string, atMs: number) =>
        transitionOf({ kind: 'price_change', ruleId: `chg-${symbol}`, transition: 'raise', severity: 'S2', labels: { rule: `chg-${symbol}`, kind: 'price_change', symbol }, atMs });
      const first = await commit(store, [s2('BTC', T0)]);
      const second = await commit(store, [s2('ETH', T0 + 29 * 60_000)]);
      const third = await commit(store, [s2('SOL', T0 + 30 * 60_000)]);

      expect(first.map((change) => change.type)).toEqual(['alert.raised']);
      expect(second.map((change) => change.type)).toEqual(['alert.raised', 'alert.escalated']);
      const escalation = must(second[1]).alert;
      expect(escalation).toMatchObject({ severity: 'S3', type: 'price_change', ruleId: 'escalation', status: 'firing' });
      expect(escalation.escalation).toEqual({ kind: 'price_change', windowMs: 30 * 60_000, sourceAlertIds: [must(first[0]).alert.id, must(second[0]).alert.id] });
      expect(third.map((change) => change.type)).toEqual(['alert.raised', 'alert.updated']);
      expect(must(third[1]).alert).toMatchObject({ id: escalation.id, version: 2, value: 3 });
      const open = await store.list({ status: 'firing', severity: 'S3' });
      expect(open.items.map((alert) => alert.id)).toEqual([escalation.id]);
    });

    it('does not escalate S2 alerts more than 30 minutes apart, nor S2 alerts of different kinds', async () => {
      const s2 = (kind: 'price_change' | 'risk_threshold', symbol: string, atMs: number) =>
        transitionOf({ kind, ruleId: `r-${symbol}`, transition: 'raise', severity: 'S2', labels: { rule: `r-${symbol}`, kind, symbol }, atMs });
      await commit(store, [s2('price_change', 'A', T0)]);
      const late = await commit(store, [s2('price_change', 'B', T0 + 30 * 60_000 + 1)]);
      const other = await commit(store, [s2('risk_threshold', 'C', T0 + 30 * 60_000 + 2)]);
      expect([...late, ...other].map((change) => change.type)).toEqual(['alert.raised', 'alert.raised']);
    });

    it('resolves an escalation by itself once every alert it counted has resolved', async () => {
      const labels = (symbol: string) => ({ rule: `chg-${symbol}`, kind: 'price_change', symbol });
      const raise = (symbol: string, atMs: number) => transitionOf({ kind: 'price_change', ruleId: `chg-${symbol}`, transition: 'raise', severity: 'S2', labels: labels(symbol), atMs });
      const [a] = await commit(store, [raise('BTC', T0)]);
      const [, escalated] = await commit(store, [raise('ETH', T0 + 1000)]);
      await store.resolve(must(a).alert.id, 'user:a');
      expect(must(await store.get(must(escalated).alert.id)).status).toBe('firing');

      const changes = await commit(store, [transitionOf({ kind: 'price_change', ruleId: 'chg-ETH', transition: 'resolve', severity: 'S2', labels: labels('ETH'), atMs: T0 + 5000 })]);
      expect(changes.map((change) => [change.type, change.actor])).toEqual([['alert.resolved', 'rule:chg-ETH'], ['alert.resolved', 'system']]);
      expect(must(await store.get(must(escalated).alert.id)).status).toBe('resolved');
    });

    it('keeps every key in the hash slot of a prefixed alerts stream', async () => {
      const stream = `${unique('p')}:alerts`;
      const prefixed = newStore(conn, { alertsStream: stream, clock: clock.now });
      const [raised] = await commit(prefixed, [transitionOf({ transition: 'raise', atMs: T0 })]);
      const keys = alertKeys(stream);
      expect(keys.alert('x')).toBe(`{${stream}}:alert:x`);
      expect(await conn.exists(`{${stream}}:alert:${must(raised).alert.id}`)).toBe(1);
      expect(await conn.xlen(stream)).toBe(1);
    });
  });
}
