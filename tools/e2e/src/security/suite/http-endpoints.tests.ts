import { randomUUID } from 'node:crypto';
import type { StackApp } from '../../stack';
import { hostileTokens } from '../hostile-tokens';
import { httpProbe, type HttpProbeResult } from '../http-probe';
import { inBatches } from '../in-batches';
import { listOperations } from '../openapi-operations';
import type { SecurityFixture } from './security-fixture';

/**
 * Paths tried without a token on every service. Anything that answers 2xx must be in
 * {@link OPEN_WITHOUT_TOKEN}: a new open endpoint fails the inventory test.
 */
const CANDIDATE_PATHS = [
  '/', '/index.html', '/main.js', '/main.js.map', '/styles.css', '/livez', '/readyz', '/metrics', '/health', '/healthz', '/status',
  '/debug', '/admin', '/env', '/config', '/.env', '/ws', '/api', '/api/v1', '/api/v1/openapi.json', '/api/v1/status',
  '/api/v1/alerts', '/api/v1/rules', '/api/v1/silences', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json',
];

/**
 * What answers without a token, by service, and where that is documented:
 * - `/livez`, `/readyz`, `/metrics` on every service: README "Each has GET /livez, GET /readyz
 *   and GET /metrics", docs/operations.md (probes, Prometheus scrapes), k8s/README.md probes;
 * - `/api/v1/openapi.json`: docs/api.md "the OpenAPI 3.1 document ... without authentication";
 * - the gateway's `/` and the dashboard build's files: README "the dashboard at /";
 * - the health monitor's `/api/v1/status`: apps/health-monitor/README.md "HTTP" (which says
 *   nothing about authentication: see the report).
 */
const OPEN_WITHOUT_TOKEN: Record<StackApp, readonly string[]> = {
  'alert-service': ['/livez', '/readyz', '/metrics', '/api/v1/openapi.json'],
  'streaming-gateway': ['/', '/index.html', '/main.js', '/main.js.map', '/styles.css', '/livez', '/readyz', '/metrics'],
  'health-monitor': ['/livez', '/readyz', '/metrics', '/api/v1/status'],
  'market-simulator': ['/livez', '/readyz', '/metrics'],
};

/** A refusal as docs/api.md "Authentication" and "Errors" describe it; the problems found, if any. */
function problemsOf401(result: HttpProbeResult, tokenSent: boolean, reason?: string): string[] {
  const problems: string[] = [];
  if (result.status !== 401) problems.push(`status ${result.status} instead of 401`);
  if (!(result.headers['content-type'] ?? '').startsWith('application/problem+json')) problems.push(`content-type ${result.headers['content-type']}`);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(result.body) as Record<string, unknown>;
  } catch {
    problems.push(`body is not JSON: ${result.body.slice(0, 200)}`);
  }
  if (body['code'] !== 'unauthorized') problems.push(`code ${String(body['code'])}`);
  const challenge = result.headers['www-authenticate'] ?? '';
  if (!challenge.startsWith('Bearer realm="alert-service"')) problems.push(`WWW-Authenticate "${challenge}"`);
  if (tokenSent && reason !== undefined) {
    if (!challenge.includes('error="invalid_token"')) problems.push(`WWW-Authenticate without error="invalid_token": "${challenge}"`);
    if (body['reason'] !== reason) problems.push(`reason ${String(body['reason'])} instead of ${reason}`);
  }
  return problems;
}

/** The alert API and every HTTP endpoint of the stack, without a valid token. */
export function httpEndpointTests(fx: SecurityFixture): void {
  describe('HTTP endpoints without a valid token', () => {
    it('refuses every operation of the OpenAPI document with a 401 problem for a missing, forged, expired, unsigned or misplaced token', async () => {
      const base = fx.stack.alertApiUrl();
      const document = (await (await fetch(`${base}/openapi.json`)).json()) as unknown;
      const operations = listOperations(document, { fill: () => randomUUID() });
      expect(operations.filter((operation) => operation.secured).length).toBeGreaterThanOrEqual(15);
      const forged = await hostileTokens({ secret: fx.stack.jwtSecret });
      const valid = await fx.mint();
      forged.forEach((token) => fx.remember(token.token));
      // [name, extra headers, query, token sent (so error="invalid_token" is due), expected reason]
      const variants: Array<[string, Record<string, string>, string, boolean, string | undefined]> = [
        ['no Authorization header', {}, '', false, undefined],
        ['an empty Bearer', { Authorization: 'Bearer ' }, '', false, undefined],
        ['Basic credentials', { Authorization: `Basic ${Buffer.from(`admin:${valid}`).toString('base64')}` }, '', false, undefined],
        ['a valid token without the Bearer scheme', { Authorization: valid }, '', false, undefined],
        ['a valid token in the query instead of the header', {}, `?token=${valid}&access_token=${valid}`, false, undefined],
        ...forged.map((token): [string, Record<string, string>, string, boolean, string] => [
          `a ${token.name} token`,
          { Authorization: `Bearer ${token.token}` },
          '',
          true,
          token.verdict === 'expired' ? 'token_expired' : 'token_invalid',
        ]),
      ];
      const calls = operations
        .filter((operation) => operation.secured)
        .flatMap((operation) =>
          variants.map(([name, headers, query, tokenSent, reason]) => async () => {
            const result = await httpProbe(base, `${new URL(base).pathname}${operation.path}${query}`, {
              method: operation.method,
              headers: { Accept: 'application/json', ...headers, ...(operation.hasBody ? { 'Content-Type': 'application/json' } : {}) },
              ...(operation.hasBody ? { body: '{}' } : {}),
            });
            // Every answer goes to the leak scan: a problem's `instance` is the path without the query, so
            // not even a token the client itself put in the query comes back.
            fx.record(`alert API ${operation.method} ${operation.template} (${name})`, `${JSON.stringify(result.headers)}\n${result.body}`);
            const problems = problemsOf401(result, tokenSent, reason);
            return problems.length === 0 ? undefined : `${operation.method} ${operation.template} with ${name}: ${problems.join('; ')}`;
          }),
        );
      const failures = (await inBatches(calls, 8)).filter((failure) => failure !== undefined);
      expect(failures).toEqual([]);
    });

    it('refuses a valid token without the scope an operation needs with a 403 insufficient_scope problem naming it, and changes nothing (docs/api.md "Scopes")', async () => {
      // A token the gateway accepts (channels) but without scopes, one that may only read, and one with every scope.
      const none = await fx.mint({ scope: '', channels: ['*'], subject: 'e2e-no-scope' });
      const reader = await fx.mint({ scope: 'alerts:read', channels: [], subject: 'e2e-reader' });
      const admin = await fx.mint({ subject: 'e2e-scope-admin' });
      const base = fx.stack.alertApiUrl();
      const id = `e2e-sec-scope-${randomUUID().slice(0, 8)}`;
      const rule = { name: 'scope probe', kind: 'price_threshold', symbol: 'E2ESCOPE', direction: 'above', severities: { S1: 1_000_000 } };
      const call = async (token: string, method: string, path: string, body?: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        fx.record(`alert API ${method} ${path} (scope test)`, `${JSON.stringify(Object.fromEntries(response.headers))}\n${text}`);
        const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
        return { status: response.status, type: response.headers.get('content-type')?.split(';')[0], challenge: response.headers.get('www-authenticate'), code: json['code'], requiredScope: json['requiredScope'] };
      };
      const refused = (scope: string) => ({
        status: 403,
        type: 'application/problem+json',
        challenge: `Bearer realm="alert-service", error="insufficient_scope", scope="${scope}"`,
        code: 'insufficient_scope',
        requiredScope: scope,
      });
      const unknownAlert = randomUUID();
      expect([
        await call(none, 'GET', '/rules'),
        await call(none, 'GET', `/alerts/${unknownAlert}`),
        await call(none, 'PUT', `/rules/${id}`, rule),
        await call(none, 'DELETE', `/rules/${id}`),
        await call(none, 'POST', `/alerts/${unknownAlert}/acknowledge`),
        await call(none, 'POST', '/silences', { matchers: [{ name: 'symbol', value: 'E2ESCOPE' }], endsAt: '2999-01-01T00:00:00Z', comment: 'scope probe' }),
        await call(reader, 'PUT', `/rules/${id}`, rule),
        await call(reader, 'POST', `/alerts/${unknownAlert}/resolve`),
      ]).toEqual([
        refused('alerts:read'),
        refused('alerts:read'),
        refused('rules:write'),
        refused('rules:write'),
        refused('alerts:write'),
        refused('alerts:write'),
        refused('rules:write'),
        refused('alerts:write'),
      ]);
      // Nothing was written; the reader reads, and the token with every scope writes.
      expect((await call(reader, 'GET', '/rules')).status).toBe(200);
      expect((await call(reader, 'GET', `/rules/${id}`)).status).toBe(404);
      expect([(await call(admin, 'PUT', `/rules/${id}`, rule)).status, (await call(admin, 'DELETE', `/rules/${id}`)).status]).toEqual([201, 204]);
    });

    it('answers without a token only on the documented endpoints: probes, metrics, the OpenAPI document, the dashboard and the health status', async () => {
      const open: Record<string, string[]> = {};
      const failures: string[] = [];
      for (const replica of fx.stack.replicas) {
        const results = await inBatches(
          CANDIDATE_PATHS.map((path) => async () => [path, await httpProbe(replica.url, path)] as const),
          6,
        );
        for (const [path, result] of results) {
          fx.record(`${replica.name} GET ${path}`, `${JSON.stringify(result.headers)}\n${result.body}`);
          if (result.status >= 200 && result.status < 300) (open[replica.app] ??= []).push(path);
          if (result.status >= 500) failures.push(`${replica.name} GET ${path}: ${result.status} ${result.body.slice(0, 200)}`);
        }
      }
      // The open endpoints only read: writing methods on them change nothing (never 2xx) and break nothing (never 5xx).
      for (const replica of fx.stack.replicas) {
        for (const path of open[replica.app] ?? []) {
          for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
            try {
              const result = await httpProbe(replica.url, path, { method, headers: { 'Content-Type': 'application/json' }, body: '{}' });
              if (result.status < 400 || result.status >= 500) failures.push(`${replica.name} ${method} ${path}: ${result.status}`);
            } catch (error) {
              failures.push(`${replica.name} ${method} ${path}: ${(error as Error).message}`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
      const apps = [...new Set(fx.stack.replicas.map((replica) => replica.app))];
      expect(open).toEqual(Object.fromEntries(apps.map((app) => [app, [...OPEN_WITHOUT_TOKEN[app]].sort((a, b) => CANDIDATE_PATHS.indexOf(a) - CANDIDATE_PATHS.indexOf(b))])));
    });

    it('answers a CORS preflight before authentication with 204 and nothing else (docs/api.md "Browsers")', async () => {
      const result = await httpProbe(fx.stack.alertApiUrl(), `${new URL(fx.stack.alertApiUrl()).pathname}/rules`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'DELETE' },
      });
      // The stack allows only the console's origin (its balancer): another gets a bare 204, without Access-Control-Allow-* headers.
      expect(result.status).toBe(204);
      expect(result.body).toBe('');
      expect(Object.keys(result.headers).filter((name) => name.startsWith('access-control-allow'))).toEqual([]);
    });
  });
}
