import type { SilenceJson } from '../../src/api';
import type { RuleDefinition } from '../../src/rules';
import { thresholdRule } from '../support/events';
import { expectSchema } from '../support/openapi-validator';
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
      expect(await fx.api.get(`/rules/${id}`)).toEqual(replaced);
      const list = await fx.api.get<{ items: RuleDefinition[] }>('/rules');
      expectSchema('RuleList', list);
      expect(list.items.filter((rule) => rule.id === id)).toEqual([replaced]);
      const deleted = await fx.api.request('DELETE', `/rules/${id}`);
      expect(deleted.status).toBe(204);
      expect((await fx.api.request('GET', `/rules/${id}`)).status).toBe(404);
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
  });
}
