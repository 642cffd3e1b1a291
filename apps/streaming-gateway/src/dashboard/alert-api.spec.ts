import { AlertApi, AlertApiError, type FetchLike } from './alert-api';

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
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
  return { fetch, calls };
}

describe('AlertApi', () => {
  it('lists the active alerts of every active status, following cursors, with the bearer token', async () => {
    const { fetch, calls } = recordingFetch((call) => {
      const url = new URL(call.url);
      const status = url.searchParams.get('status') ?? '';
      if (status === 'firing' && !url.searchParams.get('cursor')) return { status: 200, body: { items: [alertJson('f-1', 'firing')], nextCursor: 'c2' } };
      if (status === 'firing') return { status: 200, body: { items: [alertJson('f-2', 'firing')] } };
      return { status: 200, body: { items: status === 'snoozed' ? [alertJson('s-1', 'snoozed')] : [] } };
    });
    const api = new AlertApi({ baseUrl: 'http://alerts.test/api/v1', token: 'tok', fetch });

    const alerts = await api.listActive();

    expect(alerts.map((a) => a.id).sort()).toEqual(['f-1', 'f-2', 's-1']);
    expect(calls.map((c) => c.url)).toContain('http://alerts.test/api/v1/alerts?status=firing&limit=100&cursor=c2');
    expect(calls.every((c) => c.method === 'GET' && c.headers['Authorization'] === 'Bearer tok')).toBe(true);
  });

  it('posts the actions, snooze with its minutes, and returns the changed alert', async () => {
    const { fetch, calls } = recordingFetch((call) => ({ status: 200, body: alertJson('a/1', call.url.endsWith('/snooze') ? 'snoozed' : 'acknowledged') }));
    const api = new AlertApi({ baseUrl: 'http://alerts.test/api/v1', token: 'tok', fetch });

    await expect(api.acknowledge('a/1')).resolves.toMatchObject({ status: 'acknowledged' });
    await expect(api.snooze('a/1', 30)).resolves.toMatchObject({ status: 'snoozed' });
    await api.resolve('a/1');

    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/acknowledge', undefined],
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/snooze', '{"minutes":30}'],
      ['POST', 'http://alerts.test/api/v1/alerts/a%2F1/resolve', undefined],
    ]);
    expect(calls[1]?.headers['Content-Type']).toBe('application/json');
  });

  it('turns problem+json answers and network failures into AlertApiError with a code', async () => {
    const api = new AlertApi({ baseUrl: 'http://x/api/v1', token: 't', fetch: recordingFetch(() => ({ status: 409, body: { code: 'invalid_transition', detail: 'the alert is resolved' } })).fetch });
    await expect(api.resolve('a')).rejects.toMatchObject({ code: 'invalid_transition', status: 409, message: 'the alert is resolved' });

    const offline = new AlertApi({ baseUrl: 'http://x/api/v1', token: 't', fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const error = await offline.listActive().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertApiError);
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
  });
});
