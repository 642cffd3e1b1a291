import { randomUUID } from 'node:crypto';
import { waitFor } from '@rebal/redis-testing';
import type { AlertChangeJson, AlertJson } from '../../src/api';
import type { RuleDefinition } from '../../src/rules';
import { partitionOf } from '../../src/engine';
import { alertKeys } from '../../src/store';
import { priceEvent, thresholdRule } from '../support/events';
import { waitForAlerts } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

/** A fresh symbol (letters only) and a rule id derived from it. */
function freshSymbol(tag: string): { symbol: string; ruleId: string } {
  const symbol = `${tag}${randomUUID().replace(/[^a-f]/g, '').slice(0, 8).toUpperCase()}`;
  return { symbol, ruleId: symbol.toLowerCase() };
}

/** Rules changed over the API while their alerts are open: what the engine does next. */
export function ruleChangeTests(fx: SharedFixture): void {
  describe('rule changes', () => {
    it('issue 11 item 14: concurrent POST /rules with one id create it once; every other request gets 409 and changes nothing', async () => {
      const { symbol, ruleId } = freshSymbol('C');
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => fx.api.request<RuleDefinition & { code?: string }>('POST', '/rules', { body: { ...thresholdRule(ruleId, symbol, 100), name: `creator ${i}` } })),
      );
      const created = responses.filter((res) => res.status === 201);
      expect(responses.map((res) => res.status).sort()).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
      expect(responses.filter((res) => res.status === 409).every((res) => res.body.code === 'rule_exists')).toBe(true);
      expect((await fx.api.get<RuleDefinition>(`/rules/${ruleId}`)).name).toBe(created[0]?.body.name);
    }, 30_000);

    it('issue 11 item 15: lowering keepFiringSeconds with PUT /rules/{id} resolves a cleared alert at the new due time', async () => {
      const { symbol, ruleId } = freshSymbol('K');
      const rule = { ...thresholdRule(ruleId, symbol, 100), keepFiringSeconds: 300 };
      await fx.api.expect(201, 'POST', '/rules', rule);
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [raised] = await waitForAlerts(fx.api, `?label=rule=${ruleId}`, 1);
      const alert = raised as AlertJson;
      const clearedAt = fx.nextTime();
      await fx.publisher.publish('market_data', priceEvent(symbol, 90, clearedAt));
      // The clear is evaluated under the old rule first: its keep-firing timer runs 300 s.
      // (A clear starts a timer: the state is written with the change, in its partition's hash.)
      const statesKey = alertKeys(`${fx.prefix}alerts`).partitionStates(partitionOf(symbol, 16));
      await waitFor(async () => JSON.parse((await fx.admin.hget(statesKey, `${ruleId}|${alert.fingerprint}`)) ?? '{}').s?.clearedAtMs === clearedAt, { message: 'the clear evaluated' });

      await fx.api.expect(200, 'PUT', `/rules/${ruleId}`, { ...rule, keepFiringSeconds: 1 });
      const resolved = await waitFor(
        async () => {
          const current = await fx.api.get<AlertJson>(`/alerts/${alert.id}`);
          return current.status === 'resolved' ? current : undefined;
        },
        { timeoutMs: 10_000, message: 'the alert resolved by the lowered keep-firing time' },
      );
      expect(Date.parse(resolved.endsAt as string)).toBe(clearedAt + 1000);
      expect(resolved.resolvedBy).toBe(`rule:${ruleId}`);
    }, 30_000);

    it('issue 11 item 19: PUT that changes a firing rule\'s static labels resolves its open alert, and the next breach raises one alert with the new labels', async () => {
      const { symbol, ruleId } = freshSymbol('L');
      const rule = { ...thresholdRule(ruleId, symbol, 100), labels: { team: 'red' } };
      await fx.api.expect(201, 'POST', '/rules', rule);
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [old] = await waitForAlerts(fx.api, `?label=rule=${ruleId}`, 1);
      const oldId = (old as AlertJson).id;
      expect((old as AlertJson).labels).toMatchObject({ team: 'red' });

      await fx.api.expect(200, 'PUT', `/rules/${ruleId}`, { ...rule, labels: { team: 'blue' } });
      await waitFor(async () => (await fx.api.get<AlertJson>(`/alerts/${oldId}`)).status === 'resolved', { timeoutMs: 10_000, message: 'the alert of the old labels resolved' });
      const history = await fx.api.get<{ items: AlertChangeJson[] }>(`/alerts/${oldId}/history`);
      expect(history.items.map((change) => [change.type, change.actor])).toEqual([
        ['alert.raised', `rule:${ruleId}`],
        ['alert.resolved', `rule:${ruleId}`],
      ]);
      expect(history.items[1]?.notify).toBe(true);

      await fx.publisher.publish('market_data', priceEvent(symbol, 160, fx.nextTime()));
      const [current] = await waitForAlerts(fx.api, `?label=rule=${ruleId}&status=firing`, 1);
      expect((current as AlertJson).labels).toMatchObject({ team: 'blue', symbol });
      expect((current as AlertJson).id).not.toBe(oldId);
      const all = await fx.api.get<{ items: AlertJson[] }>(`/alerts?label=rule=${ruleId}`);
      expect(all.items.filter((alert) => alert.status !== 'resolved').map((alert) => alert.id)).toEqual([(current as AlertJson).id]);
    }, 30_000);
  });
}
