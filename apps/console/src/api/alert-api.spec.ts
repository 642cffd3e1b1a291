import { AlertApi } from './alert-api';
import { ApiError, type FetchLike } from './api-error';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function alertJson(id: string, status: string): Record<string, unknown> {
  return { id, ruleId: 'r', type: 'price_threshold', severity: 'S2', labels: {}, annotations: { summary: id }, value: 1, status, startsAt: '2024-04-05T10:00:00.000Z', updatedAt: '2024-04-05T10:00:00.000Z' };
}

/** A fetch that records calls and answers from `respond`. */
function recordingFetch(respond: (call: Call) => { status: number; body: unknown }): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call = { url, ...init };
    calls.push(call);
    const { status, body } = respond(call);
    return { ok: status >= 200 && status < 300, status, json: async () => (body === undefined ? Promise.reject(new SyntaxError('empty')) : body) };
  };
  return { fetch, calls };
}

const api = (fetch: FetchLike) => new AlertApi({ baseUrl: 'http://alerts.test/api/v1', token: 'tok', fetch });

describe('AlertApi', () => {
  it('lists the active alerts of every active status, following cursors, with the bearer token', async () => {
    const { fetch, calls } = recordingFetch((call) => {
      const url = new URL(call.url);
      const status = url.searchParams.get('status') ?? '';
      if (status === 'firing' && !url.searchParams.get('cursor')) return { status: 200, body: { items: [alertJson('f-1', 'firing')], nextCursor: 'c2' } };
      if (status === 'firing') return { status: 200, body: { items: [alertJson('f-2', 'firing')] } };
      return { status: 200, body: { items: status === 'snoozed' ? [alertJson('s-1', 'snoozed')] : [] } };
    });

    const alerts = await api(fetch).listActive();

    expect(alerts.map((a) => a.id).sort()).toEqual(['f-1', 'f-2', 's-1']);
    expect(calls.map((c) => c.url)).toContain('http://alerts.test/api/v1/alerts?status=firing&limit=100&cursor=c2');
    expect(calls.every((c) => c.method === 'GET' && c.headers['Authorization'] === 'Bearer tok')).toBe(true);
  });

  it('reads one page of a status when given a limit, with a label filter', async () => {
    const { fetch, calls } = recordingFetch(() => ({ status: 200, body: { items: [alertJson('r-1', 'resolved')], nextCursor: 'more' } }));
    const alerts = await api(fetch).listAlerts({ status: 'resolved', limit: 20, label: 'rule=btc-above' });
    expect(alerts.map((a) => a.id)).toEqual(['r-1']);
    expect(calls.map((c) => c.url)).toEqual(['http://alerts.test/api/v1/alerts?status=resolved&limit=20&label=rule%3Dbtc-above']);
  });

  it('posts the actions, snooze with its minutes, and returns the changed alert', async () => {
    const { fetch, calls } = recordingFetch((call) => ({ status: 200, body: alertJson('a/1', call.url.endsWith('/snooze') ? 'snoozed' : 'acknowledged') }));
    const client = api(fetch);

    await expect(client.acknowledge('a/1')).resolves.toMatchObject({ status: 'acknowledged' });
    await expect(client.snooze('a/1', 30)).resolves.toMatchObject({ status: 'snoozed' });
    await client.resolve('a/1');

    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/acknowledge', undefined],
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/snooze', '{"minutes":30}'],
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/resolve', undefined],
    ]);
    expect(calls[1]?.headers['Content-Type']).toBe('application/json');
  });

  it("reads an alert's history, oldest first, with who changed it and why it was not notified", async () => {
    const { fetch, calls } = recordingFetch(() => ({
      status: 200,
      body: {
        items: [
          { type: 'alert.raised', actor: 'rule:r', at: '2024-04-05T10:00:00.000Z', notify: true, alert: alertJson('a-1', 'firing') },
          { type: 'alert.updated', actor: 'rule:r', at: '2024-04-05T10:01:00.000Z', notify: false, suppressedBy: 'silence', alert: { ...alertJson('a-1', 'firing'), silenced: true } },
          { type: 'broken' },
        ],
      },
    }));
    const history = await api(fetch).history('a-1');
    expect(calls[0]?.url).toBe('http://alerts.test/api/v1/alerts/a-1/history');
    expect(history.map((c) => [c.type, c.actor, c.at, c.notify, c.suppressedBy, c.alert.silenced])).toEqual([
      ['alert.raised', 'rule:r', Date.parse('2024-04-05T10:00:00.000Z'), true, undefined, false],
      ['alert.updated', 'rule:r', Date.parse('2024-04-05T10:01:00.000Z'), false, 'silence', true],
    ]);
  });

  it('lists rules in id order, and creates and replaces them with the whole body', async () => {
    const rule = (id: string) => ({ id, name: id, kind: 'price_threshold', enabled: true, severities: { S2: 1 }, symbol: 'BTC', direction: 'above' });
    const { fetch, calls } = recordingFetch((call) => {
      if (call.method === 'GET') return { status: 200, body: { items: [rule('b'), rule('a'), { id: 'x', kind: 'unknown' }] } };
      return { status: call.method === 'POST' ? 201 : 200, body: { ...rule('c'), ...(JSON.parse(call.body ?? '{}') as object) } };
    });
    const client = api(fetch);
    expect((await client.listRules()).map((r) => r.id)).toEqual(['a', 'b']);
    await expect(client.createRule(rule('c'))).resolves.toMatchObject({ id: 'c', symbol: 'BTC' });
    await expect(client.replaceRule('c', { ...rule('c'), enabled: false })).resolves.toMatchObject({ enabled: false });
    expect(calls.slice(1).map((c) => [c.method, c.url])).toEqual([
      ['POST', 'http://alerts.test/api/v1/rules'],
      ['PUT', 'http://alerts.test/api/v1/rules/c'],
    ]);
  });

  it('lists, creates and expires silences', async () => {
    const silence = { id: 's-1', matchers: [{ name: 'symbol', value: 'BTC', isRegex: false, isEqual: true }], startsAt: '2024-04-05T10:00:00.000Z', endsAt: '2024-04-05T12:00:00.000Z', createdBy: 'user:ops', comment: 'maintenance', createdAt: '2024-04-05T10:00:00.000Z', updatedAt: '2024-04-05T10:00:00.000Z', state: 'active' };
    const { fetch, calls } = recordingFetch((call) => (call.method === 'DELETE' ? { status: 204, body: undefined } : { status: call.method === 'POST' ? 201 : 200, body: call.method === 'GET' ? { items: [silence] } : silence }));
    const client = api(fetch);
    expect(await client.listSilences()).toEqual([
      { id: 's-1', matchers: [{ name: 'symbol', value: 'BTC', isRegex: false, isEqual: true }], startsAt: Date.parse(silence.startsAt), endsAt: Date.parse(silence.endsAt), createdBy: 'user:ops', comment: 'maintenance', state: 'active' },
    ]);
    await expect(client.createSilence({ matchers: [{ name: 'symbol', value: 'BTC' }], endsAt: silence.endsAt, comment: 'maintenance' })).resolves.toMatchObject({ id: 's-1' });
    await client.expireSilence('s-1');
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['GET', 'http://alerts.test/api/v1/silences'],
      ['POST', 'http://alerts.test/api/v1/silences'],
      ['DELETE', 'http://alerts.test/api/v1/silences/s-1'],
    ]);
  });

  it('turns problem+json answers into ApiError with the code and the invalid fields, and network failures into network_error', async () => {
    const refused = api(recordingFetch(() => ({ status: 409, body: { code: 'illegal_transition', detail: 'the alert is resolved' } })).fetch);
    await expect(refused.resolve('a')).rejects.toMatchObject({ code: 'illegal_transition', status: 409, message: 'the alert is resolved', fields: [] });

    const invalid = api(
      recordingFetch(() => ({
        status: 400,
        body: { code: 'invalid_request', detail: 'the request is invalid', field: 'symbol', errors: [{ field: 'symbol', message: 'Too big' }, { field: 'severities.S2', message: 'Expected number' }] },
      })).fetch,
    );
    await expect(invalid.createRule({})).rejects.toMatchObject({ code: 'invalid_request', fields: [{ field: 'symbol', message: 'Too big' }, { field: 'severities.S2', message: 'Expected number' }] });
    const single = api(recordingFetch(() => ({ status: 400, body: { code: 'invalid_request', detail: 'minutes: too small', field: 'minutes' } })).fetch);
    await expect(single.snooze('a', 1)).rejects.toMatchObject({ fields: [{ field: 'minutes', message: 'minutes: too small' }] });

    const offline = new AlertApi({ baseUrl: 'http://x/api/v1', token: 't', fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const error = await offline.listActive().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
  });
});
