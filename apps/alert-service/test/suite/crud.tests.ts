import { randomUUID } from 'node:crypto';
import { waitFor } from '@rebal/redis-testing';
import type { AlertChangeJson, AlertJson, SilenceJson } from '../../src/api';
import type { RuleDefinition } from '../../src/rules';
import { signToken } from '../support/api-client';
import { priceEvent, thresholdRule } from '../support/events';
import { expectSchema } from '../support/openapi-validator';
import { waitForAlerts } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

/** Rules and silences managed over the API, every answer checked against the OpenAPI document. */
export function crudTests(fx: SharedFixture): void {
  describe('rules and silences over the API', () => {
    it('creates, replaces, reads, lists and deletes a rule', async () => {
      const id = `crud-${Date.now().toString(36)}`;
      const created = await fx.api.request<RuleDefinition>('PUT', `/rules/${id}`, { body: { ...thresholdRule('ignored', 'CRUD', 100), id: undefined } });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/v1/rules/${id}`);
      expect(created.body).toMatchObject({ id, enabled: true, pendingSeconds: 0, severities: { S1: 100 } });
      expectSchema('Rule', created.body);
      const replaced = await fx.api.expect<RuleDefinition>(200, 'PUT', `/rules/${id}`, { ...thresholdRule(id, 'CRUD', 120, 150), pendingSeconds: 30 });
      expect(replaced).toMatchObject({ severities: { S1: 120, S2: 150 }, pendingSeconds: 30 });
      // GET answers the definition with its status (issue 15).
      const status = { state: 'active', subjects: [{ subject: { symbol: 'CRUD' }, state: 'inactive', phase: 'inactive' }] };
      const read = await fx.api.get(`/rules/${id}`);
      expect(read).toEqual({ ...replaced, status });
      expectSchema('RuleView', read);
      const list = await fx.api.get<{ items: RuleDefinition[] }>('/rules');
      expectSchema('RuleList', list);
      expect(list.items.filter((rule) => rule.id === id)).toEqual([{ ...replaced, status }]);
      const deleted = await fx.api.request('DELETE', `/rules/${id}`);
      expect(deleted.status).toBe(204);
      expect((await fx.api.request('GET', `/rules/${id}`)).status).toBe(404);
    });

    it('takes trigger and expiresAt, shows the status of a once rule that fired and disabled itself, and takes a rule back as GET answers it (issue 15)', async () => {
      const id = `once-${randomUUID().slice(0, 8)}`;
      const symbol = id.toUpperCase();
      const created = await fx.api.expect<RuleDefinition>(201, 'POST', '/rules', { ...thresholdRule(id, symbol, 100), trigger: 'once', expiresAt: '2999-01-01T00:00:00Z' });
      expect(created).toMatchObject({ trigger: 'once', expiresAt: '2999-01-01T00:00:00Z', enabled: true });
      expectSchema('Rule', created);
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [alert] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      const fired = await waitFor(async () => {
        const rule = await fx.api.get<RuleDefinition & { status: { state: string } }>(`/rules/${id}`);
        return rule.status.state === 'disabled' ? rule : undefined;
      }, { message: 'the once rule disabled' });
      expectSchema('RuleView', fired);
      expect(fired).toMatchObject({ enabled: false, status: { state: 'disabled', disabled: { reason: 'trigger_once', at: alert?.startsAt, alertId: alert?.id }, subjects: [{ subject: { symbol }, state: 'firing', phase: 'firing', since: alert?.startsAt }] } });
      // Sent back as read: the status is ignored, the rule stays off, and the reason goes (a person set enabled: false now).
      const kept = await fx.api.expect<RuleDefinition>(200, 'PUT', `/rules/${id}`, fired);
      expect(kept).toMatchObject({ enabled: false, trigger: 'once' });
      expect((await fx.api.get<{ status: Record<string, unknown> }>(`/rules/${id}`)).status).toEqual({ state: 'disabled', subjects: [expect.objectContaining({ phase: 'firing' })] });
      await fx.api.expect(200, 'PUT', `/rules/${id}`, { ...fired, enabled: true, expiresAt: '2001-01-01T00:00:00Z' });
      expect((await fx.api.get<{ status: { state: string } }>(`/rules/${id}`)).status.state).toBe('expired');
      for (const [key, value, field] of [['trigger', 'sometimes', 'trigger'], ['trigger', { once_per: 'an hour' }, 'trigger.once_per'], ['expiresAt', 'soon', 'expiresAt']] as const) {
        const res = await fx.api.request<{ errors: Array<{ field: string }> }>('PUT', `/rules/${id}`, { body: { ...thresholdRule(id, symbol, 100), [key]: value } });
        expect({ status: res.status, fields: res.body.errors.map((error) => error.field) }).toEqual({ status: 400, fields: [field] });
      }
      await fx.api.expect(204, 'DELETE', `/rules/${id}`);
    });

    it('creates a silence authored by the caller, lists it as active, and expires it on delete', async () => {
      const endsAt = new Date(Date.now() + 3_600_000).toISOString();
      const res = await fx.api.request<SilenceJson>('POST', '/silences', { body: { matchers: [{ name: 'symbol', value: 'SIL.*', isRegex: true }], endsAt, comment: 'maintenance' } });
      expect(res.status).toBe(201);
      const silence = res.body;
      expectSchema('Silence', silence);
      expect(res.headers.get('location')).toBe(`/api/v1/silences/${silence.id}`);
      expect(silence).toMatchObject({ createdBy: 'user:alice', endsAt, state: 'active', comment: 'maintenance' });
      expect(await fx.api.get(`/silences/${silence.id}`)).toEqual(silence);
      const active = await fx.api.get<{ items: SilenceJson[] }>('/silences?state=active');
      expectSchema('SilenceList', active);
      expect(active.items.map((item) => item.id)).toContain(silence.id);
      const expired = await fx.api.expect<SilenceJson>(200, 'DELETE', `/silences/${silence.id}`);
      expect(expired.state).toBe('expired');
      expect((await fx.api.get<{ items: SilenceJson[] }>('/silences?state=active')).items.map((item) => item.id)).not.toContain(silence.id);
      expect((await fx.api.get<SilenceJson>(`/silences/${silence.id}`)).state).toBe('expired');
    });

    it('updates a silence with PUT: new matchers, times and comment, authored by the caller, same id, creation time and (when omitted) start', async () => {
      const symbol = `U${randomUUID().slice(0, 8).toUpperCase()}`;
      const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
      const startsAt = at(3_600_000);
      const created = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', { matchers: [{ name: 'symbol', value: symbol }], startsAt, endsAt: at(7_200_000), comment: 'planned' });
      expect(created).toMatchObject({ state: 'pending', createdBy: 'user:alice' });

      const endsAt = at(10_800_000);
      const bob = await signToken('bob');
      const res = await fx.api.request<SilenceJson>('PUT', `/silences/${created.id}`, {
        token: bob,
        body: { matchers: [{ name: 'symbol', value: `${symbol}|OTHER`, isRegex: true }, { name: 'kind', value: 'price_change', isEqual: false }], endsAt, comment: 'planned, longer' },
      });
      expect(res.status).toBe(200);
      const updated = res.body;
      expectSchema('Silence', updated);
      expect(updated).toEqual({
        id: created.id,
        matchers: [
          { name: 'symbol', value: `${symbol}|OTHER`, isRegex: true, isEqual: true },
          { name: 'kind', value: 'price_change', isRegex: false, isEqual: false },
        ],
        startsAt,
        endsAt,
        createdBy: 'user:bob',
        comment: 'planned, longer',
        createdAt: created.createdAt,
        updatedAt: expect.any(String),
        state: 'pending',
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect(await fx.api.get(`/silences/${created.id}`)).toEqual(updated);
      const pending = await fx.api.get<{ items: SilenceJson[] }>('/silences?state=pending');
      expect(pending.items.filter((item) => item.id === created.id)).toEqual([updated]);

      // A start given explicitly moves it; an author given explicitly is kept, as on create.
      const now = at(0);
      const active = await fx.api.expect<SilenceJson>(200, 'PUT', `/silences/${created.id}`, { matchers: [{ name: 'symbol', value: symbol }], startsAt: now, endsAt, comment: 'now', createdBy: 'ops-bot' });
      expect(active).toMatchObject({ id: created.id, startsAt: now, endsAt, state: 'active', createdBy: 'ops-bot', createdAt: created.createdAt });
      expect((await fx.api.get<{ items: SilenceJson[] }>('/silences?state=active')).items.map((item) => item.id)).toContain(created.id);
      expect((await fx.api.expect<SilenceJson>(200, 'DELETE', `/silences/${created.id}`)).state).toBe('expired');
    });

    it('issue 11 item 9: deleting a scheduled silence expires it and never switches it on', async () => {
      const symbol = `P${randomUUID().slice(0, 8).toUpperCase()}`;
      const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
      const created = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', { matchers: [{ name: 'symbol', value: symbol }], startsAt: at(3_600_000), endsAt: at(7_200_000), comment: 'planned' });
      expect(created.state).toBe('pending');

      const deleted = await fx.api.expect<SilenceJson>(200, 'DELETE', `/silences/${created.id}`);
      expect(deleted.state).toBe('expired');
      expect(Date.parse(deleted.endsAt)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(deleted.startsAt)).toBeLessThanOrEqual(Date.parse(deleted.endsAt));
      expect((await fx.api.get<SilenceJson>(`/silences/${created.id}`)).state).toBe('expired');
      expect((await fx.api.get<{ items: SilenceJson[] }>('/silences?state=active')).items.map((item) => item.id)).not.toContain(created.id);
      expect((await fx.api.get<{ items: SilenceJson[] }>('/silences?state=expired')).items.map((item) => item.id)).toContain(created.id);
      const revived = await fx.api.request<{ code: string }>('PUT', `/silences/${created.id}`, { body: { matchers: [{ name: 'symbol', value: symbol }], endsAt: at(7_200_000), comment: 'again' } });
      expect([revived.status, revived.body.code]).toEqual([409, 'silence_expired']);

      // It mutes nothing: an alert of its symbol is notified as usual.
      await fx.api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100));
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [alert] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      expect((alert as AlertJson).silenced).toBeUndefined();
    }, 30_000);

    it('issue 11 item 20: regex matchers take the RE2 syntax Alertmanager users write: (?i) flags, POSIX classes and Unicode classes', async () => {
      const patterns = ['(?i)sol[a-z]+', '(?i:SOL)[[:upper:]]+', '[[:alpha:]]+', '\\pL+', '\\p{Lu}+'];
      const endsAt = new Date(Date.now() + 3_600_000).toISOString();
      const ids: string[] = [];
      for (const [index, pattern] of patterns.entries()) {
        const symbol = `SOL${randomUUID().replace(/[^a-f]/g, '').slice(0, 6).toUpperCase()}${'ABCDE'[index]}`;
        const ruleId = `re2-${index}-${randomUUID().slice(0, 8)}`;
        await fx.api.expect(201, 'POST', '/rules', thresholdRule(ruleId, symbol, 100));
        const res = await fx.api.request<SilenceJson>('POST', '/silences', { body: { matchers: [{ name: 'rule', value: ruleId }, { name: 'symbol', value: pattern, isRegex: true }], endsAt, comment: `RE2 ${pattern}` } });
        expect([pattern, res.status]).toEqual([pattern, 201]);
        ids.push(res.body.id);
        await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
        const [alert] = await waitForAlerts(fx.api, `?label=rule=${ruleId}`, 1);
        expect([pattern, (alert as AlertJson).silenced]).toEqual([pattern, true]);
      }
      // What RE2 refuses, and what cannot run in linear time, is refused with the construct named.
      for (const [pattern, named] of [['(?=SOL)SOL', 'lookahead'], ['(SOL)\\1', 'backreference'], ['\\C', '\\C']] as const) {
        const res = await fx.api.request<{ code: string; errors: Array<{ field: string; message: string }> }>('POST', '/silences', { body: { matchers: [{ name: 'symbol', value: pattern, isRegex: true }], endsAt, comment: 'refused' } });
        expect([pattern, res.status, res.body.errors[0]?.field]).toEqual([pattern, 400, 'matchers[0].value']);
        expect(res.body.errors[0]?.message).toContain(named);
      }
      for (const id of ids) await fx.api.expect(200, 'DELETE', `/silences/${id}`);
    }, 30_000);

    it('applies an updated silence to the next change of a matching alert: silenced while its matchers match, notified once they no longer do', async () => {
      const symbol = `V${randomUUID().slice(0, 8).toUpperCase()}`;
      const elsewhere = { name: 'symbol', value: `${symbol}-ELSEWHERE` };
      const body = (matcher: { name: string; value: string }, comment: string) => ({ matchers: [matcher], endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment });
      await fx.api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100, 200));
      const silence = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', body(elsewhere, 'not this symbol yet'));

      // Updated to match the symbol: the raise is stored but not notified.
      await fx.api.expect(200, 'PUT', `/silences/${silence.id}`, body({ name: 'symbol', value: symbol }, 'this symbol now'));
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [raised] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      const id = (raised as AlertJson).id;
      expect(raised).toMatchObject({ status: 'firing', severity: 'S1', silenced: true });

      // Updated away from it again: the S2 update is notified.
      await fx.api.expect(200, 'PUT', `/silences/${silence.id}`, body(elsewhere, 'not this symbol any more'));
      await fx.publisher.publish('market_data', priceEvent(symbol, 250, fx.nextTime()));
      await waitFor(async () => (await fx.api.get<AlertJson>(`/alerts/${id}`)).severity === 'S2', { message: 'the alert updated to S2' });

      const history = await fx.api.get<{ items: AlertChangeJson[] }>(`/alerts/${id}/history`);
      expect(history.items.map((change) => [change.type, change.alert.severity, change.notify, change.suppressedBy, change.alert.silenced])).toEqual([
        ['alert.raised', 'S1', false, 'silence', true],
        ['alert.updated', 'S2', true, undefined, undefined],
      ]);
      // Only the notified change reaches the webhooks (the strict target answers 400: one attempt each).
      const deliveries = () => fx.strict.requests.map((request) => String(request.headers['x-rebal-delivery'])).filter((delivery) => delivery.startsWith(`${id}:`));
      await waitFor(() => deliveries().length >= 1, { timeoutMs: 20_000, message: 'the S2 update delivered to the strict webhook' });
      expect(deliveries()).toEqual([`${id}:2:strict`]);
      await fx.api.expect(200, 'DELETE', `/silences/${silence.id}`);
    });
  });
}
