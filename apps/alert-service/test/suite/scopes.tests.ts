import { randomUUID } from 'node:crypto';
import { OPENAPI_DOCUMENT, type AlertJson, type SilenceJson } from '../../src/api';
import { signToken, type ApiResponse } from '../support/api-client';
import { priceEvent, thresholdRule } from '../support/events';
import { expectSchema } from '../support/openapi-validator';
import { waitForAlerts } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

type Scope = 'alerts:read' | 'alerts:write' | 'rules:write';

/** What one matrix run works on: a firing alert, a rule, a silence, and the id of a rule to create. */
interface Targets {
  alert: AlertJson;
  ruleId: string;
  silence: SilenceJson;
  newRuleId: string;
}

/** One operation: what it needs, and what it answers (in table order) when the token grants that. */
interface Operation {
  method: string;
  path: (t: Targets) => string;
  body?: (t: Targets) => unknown;
  scope: Scope;
  ok: number;
}

const silenceBody = (comment: string) => ({ matchers: [{ name: 'symbol', value: `NOPE-${randomUUID().slice(0, 8)}` }], endsAt: '2999-01-01T00:00:00Z', comment });

/**
 * Every operation of the API in an order where, with the scope granted, each answer is known:
 * the alert is snoozed, acknowledged, then resolved; the new rule is created, replaced, deleted.
 */
const OPERATIONS: Operation[] = [
  { method: 'GET', path: () => '/alerts', scope: 'alerts:read', ok: 200 },
  { method: 'GET', path: (t) => `/alerts/${t.alert.id}`, scope: 'alerts:read', ok: 200 },
  { method: 'GET', path: (t) => `/alerts/${t.alert.id}/history`, scope: 'alerts:read', ok: 200 },
  { method: 'GET', path: (t) => `/alerts/${t.alert.id}/evidence`, scope: 'alerts:read', ok: 200 },
  { method: 'POST', path: (t) => `/alerts/${t.alert.id}/snooze`, body: () => ({ minutes: 30 }), scope: 'alerts:write', ok: 200 },
  { method: 'POST', path: (t) => `/alerts/${t.alert.id}/acknowledge`, scope: 'alerts:write', ok: 200 },
  { method: 'POST', path: (t) => `/alerts/${t.alert.id}/resolve`, scope: 'alerts:write', ok: 200 },
  { method: 'GET', path: () => '/rules', scope: 'alerts:read', ok: 200 },
  { method: 'GET', path: (t) => `/rules/${t.ruleId}`, scope: 'alerts:read', ok: 200 },
  { method: 'POST', path: () => '/rules', body: (t) => thresholdRule(t.newRuleId, 'SCOPE-NEW', 1_000_000), scope: 'rules:write', ok: 201 },
  { method: 'PUT', path: (t) => `/rules/${t.newRuleId}`, body: (t) => thresholdRule(t.newRuleId, 'SCOPE-NEW', 2_000_000), scope: 'rules:write', ok: 200 },
  { method: 'DELETE', path: (t) => `/rules/${t.newRuleId}`, scope: 'rules:write', ok: 204 },
  { method: 'GET', path: () => '/silences', scope: 'alerts:read', ok: 200 },
  { method: 'GET', path: (t) => `/silences/${t.silence.id}`, scope: 'alerts:read', ok: 200 },
  { method: 'POST', path: () => '/silences', body: () => silenceBody('scope probe'), scope: 'alerts:write', ok: 201 },
  { method: 'PUT', path: (t) => `/silences/${t.silence.id}`, body: () => silenceBody('scope probe, updated'), scope: 'alerts:write', ok: 200 },
  { method: 'DELETE', path: (t) => `/silences/${t.silence.id}`, scope: 'alerts:write', ok: 200 },
];

/** `METHOD /template` of an operation, as the OpenAPI document writes it. */
function template(operation: Operation): string {
  const ids: Targets = { alert: { id: '{id}' } as AlertJson, ruleId: '{id}', silence: { id: '{id}' } as SilenceJson, newRuleId: '{id}' };
  return `${operation.method} ${operation.path(ids)}`;
}

/** Checks a 403 `insufficient_scope` answer naming `scope` in the body and in `WWW-Authenticate` (RFC 6750 §3.1). */
function expectInsufficientScope(res: ApiResponse, scope: Scope, what: string): void {
  const body = res.body as Record<string, unknown> | undefined;
  expect({ what, status: res.status, code: body?.['code'], requiredScope: body?.['requiredScope'] }).toEqual({ what, status: 403, code: 'insufficient_scope', requiredScope: scope });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="alert-service", error="insufficient_scope", scope="${scope}"`);
  expectSchema('Problem', body);
}

/** Scope enforcement of the REST API, over real HTTP: every operation against tokens of every scope combination. */
export function scopeTests(fx: SharedFixture): void {
  describe('REST API scopes', () => {
    /** A fresh firing alert (with its rule) and an active silence that matches nothing. */
    async function targets(): Promise<Targets> {
      const symbol = `S${randomUUID().slice(0, 8).toUpperCase()}`;
      const ruleId = symbol.toLowerCase();
      await fx.api.expect(201, 'POST', '/rules', thresholdRule(ruleId, symbol, 100));
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [alert] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      const silence = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', silenceBody('scope target'));
      return { alert: alert as AlertJson, ruleId, silence, newRuleId: `${ruleId}-new` };
    }

    it('lists every operation of the OpenAPI document with the scope the document names', () => {
      const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => (operation as { security: unknown[] }).security.length > 0)
          .map(([method, operation]) => `${method.toUpperCase()} ${path} ${(operation as { security: Array<{ bearerAuth: string[] }> }).security[0]?.bearerAuth.join(' ')}`),
      );
      expect(OPERATIONS.map((operation) => `${template(operation)} ${operation.scope}`).sort()).toEqual(documented.sort());
    });

    const cases: Array<[string, Record<string, unknown>, Scope[]]> = [
      ['no scope claim', {}, []],
      ['an empty scope claim', { scope: '' }, []],
      ['only foreign, differently cased or wildcard scopes', { scope: 'openid profile ALERTS:READ alerts:read:all alerts:* rules:*' }, []],
      ['scope alerts:read', { scope: 'alerts:read' }, ['alerts:read']],
      ['scope "alerts:read alerts:write" (the dashboard)', { scope: 'alerts:read alerts:write', channels: ['*'] }, ['alerts:read', 'alerts:write']],
      ['scope alerts:write', { scope: 'alerts:write' }, ['alerts:write']],
      ['scope rules:write', { scope: 'rules:write' }, ['rules:write']],
      ['an scp array ["alerts:read", "rules:write"]', { scp: ['alerts:read', 'rules:write'] }, ['alerts:read', 'rules:write']],
      ['every scope (the development token of npm start)', { scope: 'alerts:read alerts:write rules:write', channels: ['*'] }, ['alerts:read', 'alerts:write', 'rules:write']],
    ];

    it.each(cases)('lets a token with %s call exactly the operations of its scopes, refuses the others with 403 insufficient_scope, and changes nothing then', async (_name, claims, granted) => {
      const t = await targets();
      const token = await signToken(`scoped-${randomUUID().slice(0, 8)}`, { claims });
      const answers: string[] = [];
      for (const operation of OPERATIONS) {
        const body = operation.body?.(t);
        const res = await fx.api.request(operation.method, operation.path(t), { token, ...(body === undefined ? {} : { body }) });
        if (granted.includes(operation.scope)) answers.push(`${template(operation)} ${res.status}${res.status === operation.ok ? '' : ` ${JSON.stringify(res.body)}`}`);
        else expectInsufficientScope(res, operation.scope, template(operation));
      }
      expect(answers).toEqual(OPERATIONS.filter((operation) => granted.includes(operation.scope)).map((operation) => `${template(operation)} ${operation.ok}`));
      // What was refused did not happen (checked with alice's token, which has every scope).
      const alert = await fx.api.get<AlertJson>(`/alerts/${t.alert.id}`);
      const silence = await fx.api.get<SilenceJson>(`/silences/${t.silence.id}`);
      if (granted.includes('alerts:write')) {
        expect({ status: alert.status, silence: silence.state }).toEqual({ status: 'resolved', silence: 'expired' });
      } else {
        expect(alert).toEqual(t.alert);
        expect(silence).toEqual(t.silence);
      }
      expect((await fx.api.request('GET', `/rules/${t.newRuleId}`)).status).toBe(404);
      expect((await fx.api.get<{ items: Array<{ id: string }> }>('/rules')).items.map((rule) => rule.id)).not.toContain(t.newRuleId);
    });

    it('checks the scope before it reads the body or looks up the id: a refused request answers 403 whatever it carries', async () => {
      const reader = await signToken('reader', { claims: { scope: 'alerts:read' } });
      const nobody = await signToken('nobody', { claims: {} });
      const unknown = randomUUID();
      const refused: Array<[string, string, Scope, Record<string, string>, string | undefined]> = [
        ['POST', '/rules', 'rules:write', { 'content-type': 'application/json' }, '{"id": '],
        ['PUT', '/rules/x', 'rules:write', { 'content-type': 'text/plain' }, 'not json'],
        ['POST', `/alerts/${unknown}/snooze`, 'alerts:write', { 'content-type': 'application/json' }, '{"minutes": 1}'],
        ['POST', `/alerts/${unknown}/acknowledge`, 'alerts:write', {}, undefined],
        ['DELETE', `/silences/${unknown}`, 'alerts:write', {}, undefined],
        ['PUT', `/silences/${unknown}`, 'alerts:write', { 'content-type': 'application/json' }, '{}'],
      ];
      for (const [method, path, scope, headers, body] of refused) {
        expectInsufficientScope(await fx.api.request(method, path, { token: reader, headers, ...(body === undefined ? {} : { body }) }), scope, `${method} ${path}`);
      }
      // Without alerts:read, an unknown id is no different from a known one.
      for (const path of [`/alerts/${unknown}`, `/alerts/${unknown}/history`, `/alerts/${unknown}/evidence`, '/rules/no-such-rule', `/silences/${unknown}`]) {
        expectInsufficientScope(await fx.api.request('GET', path, { token: nobody }), 'alerts:read', `GET ${path}`);
      }
      // HEAD is a read too.
      const head = await fetch(`${fx.service.url}/api/v1/alerts`, { method: 'HEAD', headers: { authorization: `Bearer ${nobody}` } });
      expect({ status: head.status, challenge: head.headers.get('www-authenticate') }).toEqual({ status: 403, challenge: 'Bearer realm="alert-service", error="insufficient_scope", scope="alerts:read"' });
    });

    it('answers 401, not 403, to a missing, forged or expired token, whatever scopes it claims', async () => {
      const all = { scope: 'alerts:read alerts:write rules:write' };
      const expired = await signToken('alice', { claims: all, expiresAt: Math.floor(Date.now() / 1000) - 60 });
      const forged = await signToken('alice', { claims: all, secret: 'another-secret-that-is-long-enough-0123456789' });
      for (const token of [false, expired, forged] as const) {
        for (const [method, path] of [['GET', '/alerts'], ['POST', '/rules'], ['DELETE', `/silences/${randomUUID()}`]] as const) {
          const res = await fx.api.request(method, path, { token, ...(method === 'POST' ? { body: thresholdRule('never', 'NEVER', 1) } : {}) });
          expect({ method, path, status: res.status, code: (res.body as { code?: string }).code }).toEqual({ method, path, status: 401, code: 'unauthorized' });
          expect(res.headers.get('www-authenticate')).not.toContain('insufficient_scope');
        }
      }
    });
  });
}
