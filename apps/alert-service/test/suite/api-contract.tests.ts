import { randomUUID } from 'node:crypto';
import type { AlertJson, SilenceJson } from '../../src/api';
import { signToken } from '../support/api-client';
import { priceEvent, thresholdRule } from '../support/events';
import { expectSchema } from '../support/openapi-validator';
import { waitForAlerts } from '../support/suite-context';
import { DASHBOARD_ORIGIN, type SharedFixture } from './shared-fixture';

interface Problem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

/** Checks a problem+json answer: status, media type, code, schema. */
function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string): Problem {
  expect({ status: res.status, code: (res.body as Problem | undefined)?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expectSchema('Problem', res.body);
  return res.body as Problem;
}

/** The REST API's documented answers: 401, 400 naming the field, 415, 404, 409, CORS, listing. */
export function apiContractTests(fx: SharedFixture): void {
  describe('REST API contract', () => {
    /** Creates a rule on a fresh symbol and raises one firing alert on it; returns the alert. */
    async function firingAlert(): Promise<AlertJson> {
      const symbol = `C${randomUUID().slice(0, 8).toUpperCase()}`;
      await fx.api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100));
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [alert] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      return alert as AlertJson;
    }

    it('refuses requests without a valid bearer token with 401 problem+json and WWW-Authenticate: Bearer', async () => {
      const expired = await signToken('alice', { expiresAt: Math.floor(Date.now() / 1000) - 60 });
      const foreign = await signToken('alice', { secret: 'another-secret-that-is-long-enough-0123456789' });
      const cases: Array<[string, string | false, Record<string, string>]> = [
        ['no token', false, {}],
        ['basic auth', false, { authorization: 'Basic YWxpY2U6c2VjcmV0' }],
        ['garbage', 'not-a-jwt', {}],
        ['wrong key', foreign, {}],
        ['expired', expired, {}],
      ];
      for (const [, token, headers] of cases) {
        const res = await fx.api.request('GET', '/alerts', { token, headers });
        expectProblem(res, 401, 'unauthorized');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="alert-service"/);
      }
      const res = await fx.api.request<Problem>('GET', '/alerts', { token: expired });
      expect(res.body.reason).toBe('token_expired');
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      // Changes need the token too: creating and updating a silence alike.
      const silence = { matchers: [{ name: 'symbol', value: 'NOAUTH' }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' };
      for (const [method, path] of [['POST', '/silences'], ['PUT', `/silences/${randomUUID()}`]] as const) {
        for (const token of [false, expired] as const) expectProblem(await fx.api.request(method, path, { token, body: silence }), 401, 'unauthorized');
      }
      const doc = await fx.api.request<{ openapi: string }>('GET', '/openapi.json', { token: false });
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
    });

    it('answers invalid bodies and queries with 400 problem+json naming the field', async () => {
      const alert = await firingAlert();
      const startsAt = new Date(Date.now() + 3_600_000).toISOString();
      const silence = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', {
        matchers: [{ name: 'symbol', value: `B${randomUUID().slice(0, 8)}` }],
        startsAt,
        endsAt: '2999-01-01T00:00:00Z',
        comment: 'to update',
      });
      const silencePath = `/silences/${silence.id}`;
      const invalid: Array<[string, string, unknown, string]> = [
        ['POST', '/rules', { ...thresholdRule('bad-rule', 'BAD', 100), severities: { S1: 'high' } }, 'severities.S1'],
        ['POST', '/rules', { ...thresholdRule('bad-rule', 'BAD', 100), treshold: 5 }, 'treshold'],
        ['POST', '/rules', { ...thresholdRule('bad-rule', 'BAD', 100), kind: 'price_magic' }, 'kind'],
        ['PUT', '/rules/some-rule', { ...thresholdRule('other-rule', 'BAD', 100) }, 'id'],
        ['POST', `/alerts/${alert.id}/snooze`, { minutes: 2 }, 'minutes'],
        ['POST', `/alerts/${alert.id}/snooze`, { minutes: 1441 }, 'minutes'],
        ['POST', `/alerts/${alert.id}/snooze`, {}, 'minutes'],
        ['POST', `/alerts/${alert.id}/snooze`, { minutes: 10, until: 'tomorrow' }, 'until'],
        ['POST', `/alerts/${alert.id}/acknowledge`, { note: 'x' }, 'note'],
        ['POST', '/silences', { matchers: [], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'matchers'],
        ['POST', '/silences', { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2000-01-01T00:00:00Z', comment: 'c' }, 'endsAt'],
        ['POST', '/silences', { matchers: [{ name: 'symbol', value: '(' , isRegex: true }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'matchers[0].value'],
        ['PUT', silencePath, { matchers: [], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'matchers'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2000-01-01T00:00:00Z', comment: 'c' }, 'endsAt'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], startsAt: '2999-01-02T00:00:00Z', endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'endsAt'],
        // Without startsAt the current start stays, and the end must come after it.
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: new Date(Date.now() + 1_800_000).toISOString(), comment: 'c' }, 'endsAt'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: '(' , isRegex: true }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'matchers[0].value'],
        ['PUT', silencePath, { matchers: [{ name: '1abc', value: 'X' }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }, 'matchers[0].name'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: 'next week', comment: 'c' }, 'endsAt'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2999-01-01T00:00:00Z', comment: ' ' }, 'comment'],
        ['PUT', silencePath, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2999-01-01T00:00:00Z' }, 'comment'],
        ['PUT', silencePath, { ...silence, comment: 'a GET answer sent back as is' }, 'id'],
        ['GET', '/alerts?status=burning', undefined, 'status'],
        ['GET', '/alerts?limit=0', undefined, 'limit'],
        ['GET', '/alerts?label=symbol', undefined, 'label'],
        ['GET', '/alerts?colour=red', undefined, 'colour'],
        ['GET', '/alerts?cursor=bm90LWEtY3Vyc29y', undefined, 'cursor'],
        ['GET', '/silences?state=sleeping', undefined, 'state'],
      ];
      for (const [method, path, body, field] of invalid) {
        const res = await fx.api.request(method, path, body === undefined ? {} : { body });
        const problem = expectProblem(res, 400, 'invalid_request');
        expect({ method, path, fields: problem.errors?.map((error) => error.field) }).toEqual({ method, path, fields: expect.arrayContaining([field]) });
      }
      expectProblem(await fx.api.request('POST', '/rules', { body: '{"id": ' }), 400, 'invalid_json');
      expectProblem(await fx.api.request('PUT', silencePath, { body: '{"matchers": ' }), 400, 'invalid_json');
      // Nothing of the refused requests was applied.
      expect((await fx.api.get<AlertJson>(`/alerts/${alert.id}`)).status).toBe('firing');
      expect((await fx.api.request('GET', '/rules/bad-rule')).status).toBe(404);
      expect(await fx.api.get(silencePath)).toEqual(silence);
      await fx.api.expect(200, 'DELETE', silencePath);
    });

    it('answers GET /alerts/{id}/evidence with the exact stream entry that raised the alert, its event and the prices around it (issue 15)', async () => {
      const alert = await firingAlert();
      const symbol = alert.labels['symbol'] as string;
      expect(alert.evidence).toEqual([{ type: 'raise', stream: `${fx.prefix}market_data`, id: expect.stringMatching(/^\d+-\d+$/), value: 150, at: expect.any(String), severity: 'S1' }]);
      expectSchema('Alert', alert);
      const raiseId = (alert.evidence?.[0] as { id: string }).id;
      const [entry] = (await fx.admin.xrange(`${fx.prefix}market_data`, raiseId, raiseId)) as Array<[string, string[]]>;
      expect(entry?.[1]).toEqual(expect.arrayContaining(['subject', symbol]));
      const view = await fx.api.get<{ items: Array<Record<string, unknown>>; prices?: { symbol: string; points: Array<{ id: string; price: number }> } }>(`/alerts/${alert.id}/evidence`);
      expectSchema('AlertEvidenceView', view);
      expect(view.items).toEqual([
        expect.objectContaining({ type: 'raise', id: raiseId, value: 150, source: 'stream', event: expect.objectContaining({ type: 'price_update', subject: symbol, data: { symbol, price: 150, currency: 'USD' } }) }),
      ]);
      expect(view.prices).toEqual({ symbol, points: [{ id: raiseId, at: alert.evidence?.[0]?.at, price: 150 }] });
    });

    it('answers a body that is not JSON with 415 problem+json', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await fx.api.request('POST', '/rules', { body: 'id=x', headers: { 'content-type': type } });
        expectProblem(res, 415, 'unsupported_media_type');
      }
    });

    it('answers unknown ids and routes with 404 problem+json', async () => {
      const id = randomUUID();
      const requests: Array<[string, string, unknown?]> = [
        ['GET', `/alerts/${id}`],
        ['GET', `/alerts/${id}/history`],
        ['GET', `/alerts/${id}/evidence`],
        ['POST', `/alerts/${id}/acknowledge`],
        ['POST', `/alerts/${id}/snooze`, { minutes: 30 }],
        ['POST', `/alerts/${id}/resolve`],
        ['GET', '/rules/no-such-rule'],
        ['DELETE', '/rules/no-such-rule'],
        ['GET', `/silences/${id}`],
        ['PUT', `/silences/${id}`, { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' }],
        ['DELETE', `/silences/${id}`],
        ['GET', '/nothing-here'],
      ];
      for (const [method, path, body] of requests) {
        expectProblem(await fx.api.request(method, path, body === undefined ? {} : { body }), 404, 'not_found');
      }
    });

    it('answers ids that are not valid percent-encoded UTF-8 with 404 not_found on every route, logging no error, and still decodes valid ones', async () => {
      const failedBefore = fx.service.messages.filter((message) => message === 'request failed').length;
      const silence = { matchers: [{ name: 'symbol', value: 'X' }], endsAt: '2999-01-01T00:00:00Z', comment: 'c' };
      const requests: Array<[string, string, unknown?]> = [
        ['GET', '/alerts/%E0%A4%A'],
        ['GET', '/alerts/%E0%A4%A/history'],
        ['GET', '/alerts/%E0%A4%A/evidence'],
        ['POST', '/alerts/%/acknowledge'],
        ['POST', '/alerts/%zz/snooze', { minutes: 30 }],
        ['POST', '/alerts/%C0%AF/resolve'],
        ['GET', '/rules/%'],
        ['PUT', '/rules/%C0%AF', { name: 'x' }],
        ['DELETE', '/rules/%FF'],
        ['GET', '/silences/%ED%A0%80'],
        ['PUT', '/silences/%ED%A0%80', silence],
        ['DELETE', '/silences/%ED%A0%80'],
      ];
      for (const [method, path, body] of requests) {
        const res = await fx.api.request(method, path, body === undefined ? {} : { body });
        expect({ method, path, status: res.status, code: (res.body as Problem | undefined)?.code }).toEqual({ method, path, status: 404, code: 'not_found' });
        expectProblem(res, 404, 'not_found');
      }
      expect(fx.service.messages.filter((message) => message === 'request failed').length).toBe(failedBefore);
      // A valid percent-encoding still names its rule.
      const id = `pct-${randomUUID().slice(0, 8)}`;
      await fx.api.expect(201, 'POST', '/rules', thresholdRule(id, 'PCT', 1_000_000));
      expect(await fx.api.get<{ id: string }>(`/rules/%70${id.slice(1)}`)).toMatchObject({ id });
      await fx.api.expect(204, 'DELETE', `/rules/${encodeURIComponent(id).replace('-', '%2D')}`);
    });

    it('answers illegal transitions with 409 problem+json, and a taken rule id with 409 rule_exists', async () => {
      const alert = await firingAlert();
      const acked = await fx.api.expect<AlertJson>(200, 'POST', `/alerts/${alert.id}/acknowledge`);
      expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'user:alice', version: alert.version + 1 });
      expectSchema('Alert', acked);
      expect(expectProblem(await fx.api.request('POST', `/alerts/${alert.id}/acknowledge`), 409, 'illegal_transition')).toMatchObject({ alertStatus: 'acknowledged', action: 'acknowledge' });
      const resolved = await fx.api.expect<AlertJson>(200, 'POST', `/alerts/${alert.id}/resolve`);
      expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'user:alice' });
      expect(Date.parse(resolved.endsAt as string)).toBeGreaterThanOrEqual(Date.parse(resolved.startsAt));
      for (const [path, body] of [['resolve'], ['acknowledge'], ['snooze', { minutes: 5 }]] as Array<[string, unknown?]>) {
        const problem = expectProblem(await fx.api.request('POST', `/alerts/${alert.id}/${path}`, body === undefined ? {} : { body }), 409, 'illegal_transition');
        expect(problem.alertStatus).toBe('resolved');
      }
      expect((await fx.api.get<AlertJson>(`/alerts/${alert.id}`)).version).toBe(resolved.version);
      expectProblem(await fx.api.request('POST', '/rules', { body: thresholdRule(alert.ruleId, alert.labels['symbol'] as string, 100) }), 409, 'rule_exists');
    });

    it('answers an update of an expired silence with 409 silence_expired and leaves it expired', async () => {
      const matchers = [{ name: 'symbol', value: `X${randomUUID().slice(0, 8)}` }];
      const created = await fx.api.expect<SilenceJson>(201, 'POST', '/silences', { matchers, endsAt: '2999-01-01T00:00:00Z', comment: 'soon expired' });
      const expired = await fx.api.expect<SilenceJson>(200, 'DELETE', `/silences/${created.id}`);
      expect(expired.state).toBe('expired');
      const revive = { matchers, startsAt: new Date().toISOString(), endsAt: '2999-01-01T00:00:00Z', comment: 'back again' };
      const problem = expectProblem(await fx.api.request('PUT', `/silences/${created.id}`, { body: revive }), 409, 'silence_expired');
      expect(problem.detail).toContain(created.id);
      expect(await fx.api.get(`/silences/${created.id}`)).toEqual(expired);
      // A body that is invalid anyway is a 400 first, as on every route.
      expectProblem(await fx.api.request('PUT', `/silences/${created.id}`, { body: { ...revive, matchers: [] } }), 400, 'invalid_request');
    });

    it('answers CORS preflights from the dashboard origin and only from it', async () => {
      const preflight = (origin: string) =>
        fetch(`${fx.service.url}/api/v1/alerts/x/snooze`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
        });
      const allowed = await preflight(DASHBOARD_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(DASHBOARD_ORIGIN);
      expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE');
      expect(allowed.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
      const other = await preflight('http://evil.test');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      // A refused request still carries the header, so the dashboard can read the 401.
      const unauthorized = await fx.api.request('GET', '/alerts', { token: false, headers: { origin: DASHBOARD_ORIGIN } });
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.headers.get('access-control-allow-origin')).toBe(DASHBOARD_ORIGIN);
    });

    it('lists alerts with filters and cursor pagination, each alert exactly once', async () => {
      const group = `g${randomUUID().slice(0, 6)}`;
      const symbols = [1, 2, 3, 4, 5].map((n) => `${group.toUpperCase()}${n}`);
      for (const symbol of symbols) {
        await fx.api.expect(201, 'POST', '/rules', { ...thresholdRule(symbol.toLowerCase(), symbol, 100, 200), labels: { team: group } });
      }
      await fx.publisher.publishMany('market_data', symbols.map((symbol, i) => priceEvent(symbol, i < 2 ? 250 : 150, fx.nextTime())));
      await waitForAlerts(fx.api, `?label=team=${group}`, 5);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await fx.api.get<{ items: AlertJson[]; nextCursor?: string }>(`/alerts?label=team=${group}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expectSchema('AlertPage', page);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((alert) => alert.labels['symbol'] as string));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([...symbols].sort());
      expect((await fx.api.get<{ items: AlertJson[] }>(`/alerts?label=team=${group}&severity=S2`)).items.map((a) => a.labels['symbol']).sort()).toEqual(symbols.slice(0, 2).sort());
      const one = await fx.api.get<{ items: AlertJson[] }>(`/alerts?label=team=${group}&label=symbol=${symbols[3]}&type=price_threshold&status=firing`);
      expect(one.items.map((a) => a.labels['symbol'])).toEqual([symbols[3]]);
      expect((await fx.api.get<{ items: AlertJson[] }>(`/alerts?label=team=${group}&label=symbol=NONE`)).items).toEqual([]);
    });
  });
}
