/// <reference types="jest" />
import { useRedis, type StartRedisOptions } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { seedRules, type RuleKind, type Severity } from '../../rules';
import type { AlertStore } from '../alert-store';
import { commit, Connections, ManualClock, must, newStore, readStream, transitionOf, type AlertEventPayload } from './store-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const DAY = 86_400_000;

/** Raises one alert per spec, one evaluation each. */
async function raiseMany(store: AlertStore, specs: Array<{ symbol: string; severity?: Severity; kind?: RuleKind; atMs: number }>) {
  const ids: string[] = [];
  for (const spec of specs) {
    const kind = spec.kind ?? 'price_threshold';
    const labels = { rule: `r-${spec.symbol}`, kind, symbol: spec.symbol };
    const [change] = await commit(store, [transitionOf({ kind, ruleId: `r-${spec.symbol}`, transition: 'raise', severity: spec.severity ?? 'S1', labels, atMs: spec.atMs })]);
    ids.push(must(change).alert.id);
  }
  return ids;
}

/**
 * Listing, retention, silences, notification budgets, rules and silences CRUD against one
 * kind of deployment.
 */
export function describeAlertStoreAdmin(mode: string, serverOptions: StartRedisOptions): void {
  describe(`AlertStore queries and administration (${mode})`, () => {
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

    it('walks every alert exactly once, newest first, with a cursor, while alerts change during the walk', async () => {
      const ids = await raiseMany(store, Array.from({ length: 23 }, (_, i) => ({ symbol: `S${i}`, atMs: T0 + Math.floor(i / 2) * 1000 })));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 5, cursor });
        seen.push(...page.items.map((alert) => alert.id));
        cursor = page.nextCursor;
        if (pages === 1) await store.acknowledge(must(ids[0]), 'user:a');
        pages += 1;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen)).toEqual(new Set(ids));
      const starts = await Promise.all(seen.map(async (id) => must(await store.get(id)).startsAt));
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
      expect(pages).toBe(5);
    });

    it('filters by status, severity, type and label, all together', async () => {
      const [a, b, c] = await raiseMany(store, [
        { symbol: 'BTC', severity: 'S1', atMs: T0 },
        { symbol: 'ETH', severity: 'S2', atMs: T0 + 1 },
        { symbol: 'SOL', severity: 'S2', kind: 'price_change', atMs: T0 + 2 },
      ]);
      await store.acknowledge(must(b), 'user:a');
      const ids = async (query: Parameters<AlertStore['list']>[0]) => (await store.list(query)).items.map((alert) => alert.id);
      expect(await ids({ status: 'firing' })).toEqual([c, a]);
      expect(await ids({ severity: 'S2' })).toEqual([c, b]);
      expect(await ids({ type: 'price_change' })).toEqual([c]);
      expect(await ids({ label: 'symbol=ETH' })).toEqual([b]);
      expect(await ids({ status: 'firing', severity: 'S2', type: 'price_threshold' })).toEqual([]);
      expect(await ids({ status: 'acknowledged', severity: 'S2', label: 'symbol=ETH' })).toEqual([b]);
    });

    it('refuses bad filters, limits and cursors with ERR_INVALID_INPUT naming the field', async () => {
      await expect(store.list({ limit: 501 })).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', issues: [{ field: 'limit' }] });
      await expect(store.list({ limit: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      await expect(store.list({ cursor: 'bogus' })).rejects.toMatchObject({ issues: [{ field: 'cursor' }] });
      await expect(store.list({ status: 'open' as never, label: 'novalue' })).rejects.toMatchObject({ issues: [{ field: 'status' }, { field: 'label' }] });
    });

    it('purges resolved alerts past the retention with their history, index entries and counts, and nothing else', async () => {
      const [old, recent, open] = await raiseMany(store, [
        { symbol: 'OLD', atMs: T0 },
        { symbol: 'NEW', atMs: T0 },
        { symbol: 'OPEN', atMs: T0 },
      ]);
      await store.resolve(must(old), 'user:a');
      clock.advance(DAY);
      await store.resolve(must(recent), 'user:a');
      clock.advance(6 * DAY + 1);

      expect(await store.purgeResolved()).toBe(1);
      expect(await store.get(must(old))).toBeUndefined();
      expect(await conn.exists(store.keys.history(must(old)))).toBe(0);
      expect((await store.list()).items.map((alert) => alert.id).sort()).toEqual([recent, open].sort());
      expect(await conn.zcard(store.keys.indexLabel('symbol', 'OLD'))).toBe(0);
      const registry = new Registry();
      const sameKeys = newStore(conn, { alertsStream: store.keys.stream, registry });
      await sameKeys.refreshMetrics();
      const gauge = (await must(registry.getSingleMetric('rebal_alerts')).get()).values;
      const count = (status: string, severity: string) => gauge.find((value) => value.labels['status'] === status && value.labels['severity'] === severity)?.value;
      expect([count('resolved', 'S1'), count('firing', 'S1'), count('acknowledged', 'S1'), count('firing', 'S3')]).toEqual([1, 1, 0, 0]);
    });

    it('stores a silenced alert and its event but does not notify it, until the silence expires', async () => {
      const silence = await store.createSilence({
        matchers: [{ name: 'symbol', value: 'B.C' , isRegex: true }, { name: 'kind', value: 'risk_threshold', isEqual: false }],
        endsAt: new Date(T0 + 3_600_000).toISOString(),
        createdBy: 'alice',
        comment: 'maintenance',
      });
      expect(silence).toMatchObject({ state: 'active', startsAt: T0, endsAt: T0 + 3_600_000 });

      const [silenced] = await raiseMany(store, [{ symbol: 'BTC', atMs: T0 }]);
      const [loud] = await raiseMany(store, [{ symbol: 'ETH', atMs: T0 }]);
      const events = await readStream(conn, store.keys.stream);
      const payload = (id: string) => must(events.find((entry) => entry.event.subject === id)).event.data as AlertEventPayload;
      expect(payload(must(silenced))).toMatchObject({ notify: false, suppressedBy: 'silence', alert: { silenced: true } });
      expect(payload(must(loud))).toMatchObject({ notify: true });
      expect(payload(must(loud)).alert.silenced).toBeUndefined();

      await store.deleteSilence(silence.id);
      expect(must(await store.getSilence(silence.id)).state).toBe('expired');
      const [update] = await commit(store, [transitionOf({ ruleId: 'r-BTC', transition: 'update', severity: 'S2', labels: { rule: 'r-BTC', kind: 'price_threshold', symbol: 'BTC' }, atMs: T0 + 1 })]);
      expect(update).toMatchObject({ notify: true, alert: { id: silenced } });
      expect(must(update).alert.silenced).toBeUndefined();
    });

    it('updates a silence in place, the very next commit follows its new matchers, and an expired silence is final', async () => {
      const silence = await store.createSilence({ matchers: [{ name: 'symbol', value: 'OLD' }], endsAt: T0 + 3_600_000, createdBy: 'alice', comment: 'first' });
      // A commit first, so the store holds the silences of before the update.
      const [old] = await raiseMany(store, [{ symbol: 'OLD', atMs: T0 }]);
      clock.advance(1000);
      const updated = await store.updateSilence(silence.id, { matchers: [{ name: 'symbol', value: 'NEW' }], endsAt: T0 + 7_200_000, createdBy: 'bob', comment: 'second' });
      expect(updated).toEqual({
        ...silence,
        matchers: [{ name: 'symbol', value: 'NEW', isRegex: false, isEqual: true }],
        endsAt: T0 + 7_200_000,
        createdBy: 'bob',
        comment: 'second',
        updatedAt: T0 + 1000,
      });
      expect(await store.getSilence(silence.id)).toEqual(updated);

      const [fresh] = await raiseMany(store, [{ symbol: 'NEW', atMs: T0 + 1000 }]);
      const [update] = await commit(store, [transitionOf({ ruleId: 'r-OLD', transition: 'update', severity: 'S2', labels: { rule: 'r-OLD', kind: 'price_threshold', symbol: 'OLD' }, atMs: T0 + 1000 })]);
      const events = await readStream(conn, store.keys.stream);
      const payloads = events.map((entry) => entry.event.data as AlertEventPayload).map((data) => [data.alert.id, data.alert.version, data.notify, data.suppressedBy ?? null]);
      expect(payloads).toEqual([
        [old, 1, false, 'silence'],
        [fresh, 1, false, 'silence'],
        [old, 2, true, null],
      ]);
      expect(must(update).alert.silenced).toBeUndefined();

      await store.deleteSilence(silence.id);
      const revive = { matchers: [{ name: 'symbol', value: 'NEW' }], startsAt: T0 + 1000, endsAt: T0 + 7_200_000, createdBy: 'bob', comment: 'again' };
      await expect(store.updateSilence(silence.id, revive)).rejects.toMatchObject({ code: 'ERR_SILENCE_EXPIRED', silenceId: silence.id, endedAt: T0 + 1000 });
      expect(must(await store.getSilence(silence.id)).state).toBe('expired');
      await expect(store.updateSilence('nope', revive)).rejects.toMatchObject({ code: 'ERR_SILENCE_NOT_FOUND' });
    });

    it('never undoes an expiry that lands between an update\'s read and its write: the update reads again and refuses the expired silence', async () => {
      let expireBeforeWrite: (() => void) | undefined;
      // The update reads the time once between its read and its write: the test's expiry is sent
      // there, on the same connection, so Redis runs it before the update's compare-and-set.
      const racing = newStore(conn, {
        clock: () => {
          const send = expireBeforeWrite;
          expireBeforeWrite = undefined;
          send?.();
          return clock.now();
        },
      });
      const silence = await racing.createSilence({ matchers: [{ name: 'symbol', value: 'RACE' }], endsAt: T0 + 3_600_000, createdBy: 'alice', comment: 'racing' });
      const { state: _state, ...stored } = silence;
      const expired = JSON.stringify({ ...stored, endsAt: T0, updatedAt: T0 });
      expireBeforeWrite = () => void conn.hset(racing.keys.silences, silence.id, expired);
      const update = racing.updateSilence(silence.id, { matchers: [{ name: 'symbol', value: 'RACE2' }], endsAt: T0 + 7_200_000, createdBy: 'bob', comment: 'too late' });
      await expect(update).rejects.toMatchObject({ code: 'ERR_SILENCE_EXPIRED', silenceId: silence.id });
      expect(expireBeforeWrite).toBeUndefined();
      expect(await racing.getSilence(silence.id)).toMatchObject({ state: 'expired', comment: 'racing', matchers: [{ value: 'RACE' }] });
    });

    it('validates silences and lists them with their state', async () => {
      await expect(store.createSilence({ matchers: [], endsAt: T0 + 1, createdBy: 'a', comment: 'c' })).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', issues: [{ field: 'matchers' }] });
      await expect(store.createSilence({ matchers: [{ name: 'a', value: '(', isRegex: true }], endsAt: T0 + 1000, createdBy: 'a', comment: 'c' })).rejects.toMatchObject({ issues: [{ field: 'matchers[0].value' }] });
      await expect(store.createSilence({ matchers: [{ name: 'a', value: 'b' }], endsAt: T0 - 1, createdBy: 'a', comment: 'c', extra: 1 })).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      const pending = await store.createSilence({ matchers: [{ name: 'a', value: 'b' }], startsAt: T0 + 1000, endsAt: T0 + 2000, createdBy: 'a', comment: 'later' });
      expect(pending.state).toBe('pending');
      expect((await store.listSilences({ state: 'pending' })).map((silence) => silence.id)).toEqual([pending.id]);
      await expect(store.deleteSilence('nope')).rejects.toMatchObject({ code: 'ERR_SILENCE_NOT_FOUND' });
    });

    it('notifies within the burst and daily budget of a severity, then suppresses by rate limit and by budget', async () => {
      const limited = newStore(conn, { clock: clock.now, rateLimitPolicy: { S1: { perMinute: 1, burst: 2, perDay: 3 } } });
      const decisions: Array<[boolean, string | undefined]> = [];
      for (let i = 0; i < 4; i += 1) {
        const [change] = await commit(limited, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: `B${i}` }, atMs: T0 })]);
        decisions.push([must(change).notify, must(change).suppressedBy]);
      }
      clock.advance(60_000);
      const [refilled] = await commit(limited, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: 'B9' }, atMs: T0 })]);
      clock.advance(120_000);
      const [overBudget] = await commit(limited, [transitionOf({ transition: 'raise', labels: { rule: 'r', kind: 'price_threshold', symbol: 'B10' }, atMs: T0 })]);
      const [critical] = await commit(limited, [transitionOf({ transition: 'raise', severity: 'S3', labels: { rule: 'r', kind: 'price_threshold', symbol: 'B11' }, atMs: T0 })]);

      expect(decisions).toEqual([[true, undefined], [true, undefined], [false, 'rate_limit'], [false, 'rate_limit']]);
      expect([must(refilled).notify, must(refilled).suppressedBy]).toEqual([true, undefined]);
      expect([must(overBudget).notify, must(overBudget).suppressedBy]).toEqual([false, 'budget']);
      expect(must(critical).notify).toBe(true);
      expect(await limited.list({ limit: 500 })).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ status: 'firing' })]) });
      expect((await limited.list({ limit: 500 })).items).toHaveLength(7);
    });

    it('creates, reads, replaces and deletes rules, validating each', async () => {
      const rule = { id: 'btc-high', name: 'BTC high', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100 } };
      expect(await store.putRule(rule)).toMatchObject({ created: true, rule: { id: 'btc-high', enabled: true, pendingSeconds: 0 } });
      expect(await store.putRule({ ...rule, name: 'renamed' })).toMatchObject({ created: false, rule: { name: 'renamed' } });
      expect(must(await store.getRule('btc-high')).name).toBe('renamed');
      await expect(store.putRule({ ...rule, severities: { S1: 100, S2: 90 } })).rejects.toMatchObject({ code: 'ERR_RULE_INVALID' });
      const version = await store.rulesVersion();
      await store.deleteRule('btc-high');
      expect(await store.rulesVersion()).toBe(version + 1);
      expect(await store.getRule('btc-high')).toBeUndefined();
      await expect(store.deleteRule('btc-high')).rejects.toMatchObject({ code: 'ERR_RULE_NOT_FOUND' });
    });

    it('seeds rules on the first start only, so a deleted seed rule stays deleted', async () => {
      const seed = seedRules();
      expect(await store.seedIfEmpty(seed)).toBe(seed.length);
      await store.deleteRule(must(seed[0]).id);
      expect(await store.seedIfEmpty(seed)).toBe(0);
      expect((await store.listRules()).map((rule) => rule.id)).toEqual(seed.slice(1).map((rule) => rule.id).sort());
    });
  });
}
