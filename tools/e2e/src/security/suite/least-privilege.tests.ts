import { randomBytes } from 'node:crypto';
import { waitFor } from '@rebal/redis-testing';
import { REDIS_ACL_USERS } from '../../support';
import { FOREIGN_APPENDS, readDryRun, ROW_EXPECTATIONS, STREAM_TAMPERING, type AclExpectation } from '../acl-expectations';
import { inBatches } from '../in-batches';
import { WsProbe } from '../ws-probe';
import type { SecurityFixture } from './security-fixture';

/** A JSON call to the alert API that must answer `status`; resolves with the parsed body. */
async function api(fx: SecurityFixture, token: string, status: number, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${fx.stack.alertApiUrl()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${method} ${path} answered ${response.status} instead of ${status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The alert API's whole lifecycle: rules, an alert raised by a price, ack, snooze, resolve, history, silences. */
async function exerciseAlertService(fx: SecurityFixture): Promise<void> {
  const token = await fx.mint({ subject: 'e2e-acl' });
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const symbol = `E2EACL${tag}`;
  const ruleId = `e2e-acl-${tag.toLowerCase()}`;
  const rule = { id: ruleId, name: `acl ${symbol}`, kind: 'price_threshold', symbol, direction: 'above', severities: { S2: 100 } };
  await api(fx, token, 201, 'POST', '/rules', rule);
  await api(fx, token, 200, 'GET', '/rules');
  await api(fx, token, 200, 'PUT', `/rules/${ruleId}`, { ...rule, name: `acl ${symbol} (replaced)` });
  await api(fx, token, 200, 'GET', `/rules/${ruleId}`);
  // A crossing price each round until the alert exists: a new rule applies from the next rules refresh.
  const alert = await waitFor(
    async () => {
      const page = await api(fx, token, 200, 'GET', `/alerts?label=${encodeURIComponent(`rule=${ruleId}`)}`);
      const [found] = page['items'] as Array<{ id: string }>;
      if (found === undefined) await fx.publish('market_data', 'price_update', symbol, { symbol, price: 150, currency: 'USD' });
      return found;
    },
    { timeoutMs: 30_000, intervalMs: 500, message: `an alert of rule ${ruleId}` },
  );
  await api(fx, token, 200, 'GET', `/alerts/${alert.id}`);
  await api(fx, token, 200, 'POST', `/alerts/${alert.id}/acknowledge`);
  await api(fx, token, 200, 'POST', `/alerts/${alert.id}/snooze`, { minutes: 5 });
  await api(fx, token, 200, 'POST', `/alerts/${alert.id}/resolve`);
  await api(fx, token, 200, 'GET', `/alerts/${alert.id}/history`);
  await api(fx, token, 200, 'GET', '/alerts?status=resolved&limit=5');
  const silence = await api(fx, token, 201, 'POST', '/silences', {
    matchers: [{ name: 'symbol', value: symbol }],
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    comment: 'e2e least privilege',
  });
  await api(fx, token, 200, 'GET', '/silences?state=active');
  await api(fx, token, 200, 'GET', `/silences/${String(silence['id'])}`);
  await api(fx, token, 200, 'DELETE', `/silences/${String(silence['id'])}`);
  await api(fx, token, 204, 'DELETE', `/rules/${ruleId}`);
}

/** A gateway session: subscribe, disconnect, resume it on a new connection with a replay (XRANGE, the session script). */
async function exerciseGateway(fx: SecurityFixture): Promise<void> {
  const token = await fx.mint({ channels: ['market_data:BTC'], subject: 'e2e-acl-session' });
  const first = await WsProbe.open(fx.stack.gatewayUrl);
  let session: string;
  let lastId: string;
  try {
    const welcome = await first.auth(token);
    session = (welcome['session'] as { id: string }).id;
    await first.subscribe('s1', ['market_data:BTC']);
    await fx.publish('market_data', 'price_update', 'BTC', { symbol: 'BTC', price: 62_000, currency: 'USD' });
    await waitFor(() => first.events().length > 0, { timeoutMs: 10_000, message: 'a BTC price' });
    lastId = String(first.events()[first.events().length - 1]?.['id']);
  } finally {
    await first.dispose();
  }
  const missed = await fx.publish('market_data', 'price_update', 'BTC', { symbol: 'BTC', price: 62_001, currency: 'USD' });
  const second = await WsProbe.open(fx.stack.gatewayUrl);
  try {
    expect(await second.auth(token, 'a2', session)).toEqual(expect.objectContaining({ type: 'welcome', session: expect.objectContaining({ id: session, resumed: true }) }));
    const subscribed = await second.subscribe('s2', ['market_data:BTC'], { 'market_data:BTC': lastId });
    expect(subscribed).toEqual(expect.objectContaining({ channels: [expect.objectContaining({ recovered: true })] }));
    await waitFor(() => second.events().some((frame) => frame['id'] === missed), { timeoutMs: 10_000, message: 'the missed price, replayed' });
  } finally {
    await second.dispose();
  }
}

/** Two more checks of the health monitor, and more simulator prices. */
async function exerciseMonitorAndSimulator(fx: SecurityFixture): Promise<void> {
  const monitor = fx.stack.replica('health-monitor-1');
  const checkedAt = async () => ((await (await fetch(`${monitor.url}/api/v1/status`)).json()) as { checkedAt?: string }).checkedAt;
  const seen = new Set<string>();
  const before = await fx.admin.xlen('market_data');
  await waitFor(
    async () => {
      const at = await checkedAt();
      if (at !== undefined) seen.add(at);
      return seen.size >= 3;
    },
    { timeoutMs: 15_000, intervalMs: 200, message: () => `three health checks (saw ${seen.size})` },
  );
  expect(await fx.admin.xlen('market_data')).toBeGreaterThan(before);
}

/** Runs each `ACL DRYRUN` and resolves with the expectations it contradicts, described. */
async function contradictions(fx: SecurityFixture, expectations: readonly AclExpectation[]): Promise<string[]> {
  const outcomes = await inBatches(
    expectations.map((expectation) => async () => [expectation, readDryRun(await fx.stack.redis.cli('ACL', 'DRYRUN', expectation.user, ...expectation.command))] as const),
    4,
  );
  return outcomes.flatMap(([expectation, outcome]) => {
    const what = `${expectation.user} ${expectation.command.join(' ')}`;
    if (outcome.kind === 'error') return [`${what}: not a valid check: ${outcome.reply}`];
    if ((outcome.kind === 'allowed') === expectation.allowed) return [];
    return [`${what}: ${outcome.kind} but should be ${expectation.allowed ? 'allowed' : 'denied'} (${expectation.why})`];
  });
}

/** docs/operations.md section 2: every service runs as its own least-privilege Redis user. */
export function leastPrivilegeTests(fx: SecurityFixture): void {
  describe('least-privilege Redis users', () => {
    it('runs the normal work of every service with no refusal in ACL LOG', async () => {
      await fx.stack.redis.resetAclLog();
      await exerciseAlertService(fx);
      await exerciseGateway(fx);
      await exerciseMonitorAndSimulator(fx);
      expect(await fx.stack.redis.aclLog()).toEqual([]);
    }, 90_000);

    it('gives each service user a password, no key or command wildcard, and no pub/sub channel', async () => {
      const list = (await fx.stack.redis.cli('ACL', 'LIST')).split('\n');
      const users = list.map((line) => line.split(' ')[1]);
      expect(users.filter((user) => user !== 'default').sort()).toEqual([...REDIS_ACL_USERS].sort());
      for (const user of REDIS_ACL_USERS) {
        const rule = list.find((line) => line.split(' ')[1] === user) ?? '';
        expect({ user, on: / on /.test(rule), password: / #[0-9a-f]{64}/.test(rule) }).toEqual({ user, on: true, password: true });
        expect({ user, broad: rule.match(/ (nopass|allkeys|allcommands|allchannels|~\*|%R~\*|%W~\*|%RW~\*|&\*|\+@all)(?= |$)/g) ?? [] }).toEqual({ user, broad: [] });
      }
    });

    it('denies each service user the keys and commands outside its row of docs/operations.md section 2.1, and allows those inside (ACL DRYRUN)', async () => {
      expect(await contradictions(fx, ROW_EXPECTATIONS)).toEqual([]);
    });

    it('lets no service user append to a stream it does not publish to (README stream table), so none can forge events others trust', async () => {
      expect(await contradictions(fx, FOREIGN_APPENDS)).toEqual([]);
    });

    it('lets no service user delete, expire, rename, overwrite or trim a platform stream', async () => {
      expect(await contradictions(fx, STREAM_TAMPERING)).toEqual([]);
    });
  });
}
