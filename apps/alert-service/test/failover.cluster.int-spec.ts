import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import { AlertServiceProcess } from './support/service-process';
import { testPublisher } from './support/events';
import { AdminConnections, serviceEnv, uniquePrefix } from './support/suite-context';

const SYMBOLS = 250;
const RULES_PER_SYMBOL = 40;
const STEPS = 40;
/** Steps at 100 after the swings: every alert above 101.5 clears and keeps firing no longer than 2 s, so no timer is left for the ticker (which would resolve by the wall clock, a race with reading the stream). */
const CALM_STEPS = 4;

/**
 * 10,000 rules, 40 on each of 250 symbols: a threshold above 101.5 that keeps firing 2 s after
 * it clears, one below 98.5, a move of 2.5 % within 10 s either way, and 37 that the prices never
 * reach. All S1: no escalation, whose grouping of updates depends on commit timing.
 */
function rules(): unknown[] {
  const out: unknown[] = [];
  for (let n = 0; n < SYMBOLS; n += 1) {
    const symbol = `F${n}`;
    const id = symbol.toLowerCase();
    out.push({ id: `${id}-above`, name: `${symbol} above`, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: 101.5 }, keepFiringSeconds: 2 });
    out.push({ id: `${id}-below`, name: `${symbol} below`, kind: 'price_threshold', symbol, direction: 'below', severities: { S1: 98.5 } });
    out.push({ id: `${id}-move`, name: `${symbol} move`, kind: 'price_change', symbol, direction: 'either', windowSeconds: 10, severities: { S1: 2.5 }, recovery: 1 });
    for (let k = 3; k < RULES_PER_SYMBOL; k += 1) {
      out.push(k % 2 === 0
        ? { id: `${id}-far-${k}`, name: `${symbol} far ${k}`, kind: 'price_threshold', symbol, direction: k % 4 === 0 ? 'above' : 'below', severities: { S1: k % 4 === 0 ? 150 + k : 50 - k } }
        : { id: `${id}-far-${k}`, name: `${symbol} far ${k}`, kind: 'price_change', symbol, direction: 'up', windowSeconds: 60, severities: { S1: 40 + k } });
    }
  }
  return out;
}

/** 11,000 price events: each symbol swings 96 to 104 over 20 of its events, then stays at 100, one per second of event time, symbols interleaved; fixed times and ids. */
function events(t0: number): CloudEvent[] {
  const out: CloudEvent[] = [];
  for (let step = 0; step < STEPS + CALM_STEPS; step += 1) {
    for (let n = 0; n < SYMBOLS; n += 1) {
      const price = step < STEPS ? Number((100 + 4 * Math.sin((2 * Math.PI * step) / 20 + n)).toFixed(3)) : 100;
      out.push(createEvent({ id: `failover-${n}-${step}`, type: 'price_update', source: '/test', subject: `F${n}`, time: new Date(t0 + step * 1000).toISOString(), data: { symbol: `F${n}`, price, currency: 'USD' } }));
    }
  }
  return out;
}

/** A transition as the `alerts` stream shows it, without what depends on the wall clock (ids, notification decisions). */
async function transitions(admin: RedisConnection, prefix: string): Promise<string[]> {
  return (await admin.xrange(`${prefix}alerts`, '-', '+')).map(([, fields]) => {
    const field = (name: string) => fields[fields.indexOf(name) + 1] as string;
    const { alert, actor } = JSON.parse(field('data')) as { alert: { ruleId: string; fingerprint: string; severity: string; status: string; value: number }; actor: string };
    return [field('type'), actor, alert.ruleId, alert.fingerprint, alert.severity, alert.status, alert.value, field('time')].join(' ');
  });
}

/** Waits until group `alert-service` on `market_data` is at the stream's end with nothing pending. */
async function drained(admin: RedisConnection, prefix: string, timeoutMs: number): Promise<void> {
  const stream = `${prefix}market_data`;
  const [last] = (await admin.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  await waitFor(async () => {
    const groups = (await admin.xinfo('GROUPS', stream)) as unknown[][];
    const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === 'alert-service') ?? [];
    return group[group.indexOf('last-delivered-id') + 1] === last?.[0] && Number(group[group.indexOf('pending') + 1]) === 0;
  }, { timeoutMs, intervalMs: 100, message: `every event of ${stream} applied` });
}

describe('two replicas on a 3-master Cluster, one SIGKILLed mid-run', () => {
  const redis = useRedis({ mode: 'cluster' }, 120_000);
  const connections = new AdminConnections();
  const processes: AlertServiceProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'alert-failover-'));
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.kill('SIGKILL')));
    await connections.closeAll();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('with 10,000 rules, commit every transition of a single-replica reference run exactly once', async () => {
    const admin = connections.connect(redis.server);
    const seedFile = join(dir, 'rules.json');
    writeFileSync(seedFile, JSON.stringify(rules()));
    const all = events(Date.now() - 2 * 3_600_000);
    const env = (prefix: string, instance: string) =>
      serviceEnv(redis.server, prefix, { ALERT_SEED: 'true', ALERT_SEED_FILE: seedFile, INSTANCE_ID: instance, CONSUMER_CLAIM_IDLE: '2s', CONSUMER_BLOCK: '200ms' });
    const publish = async (prefix: string) => {
      const publisher = testPublisher(admin, prefix);
      for (let i = 0; i < all.length; i += 500) await publisher.publishMany('market_data', all.slice(i, i + 500));
    };

    // The reference: one replica.
    const reference = uniquePrefix();
    const single = await AlertServiceProcess.start(env(reference, 'reference-1'), 120_000);
    processes.push(single);
    await publish(reference);
    await drained(admin, reference, 120_000);
    const expected = await transitions(admin, reference);
    await single.kill('SIGTERM');
    expect(expected.length).toBeGreaterThan(1_000);
    expect(expected.length).toBeLessThan(4_500); // the alerts stream keeps 5,000: nothing trimmed

    // The same with two replicas, one killed once a third of the transitions are in.
    const run = uniquePrefix();
    const [a, b] = await Promise.all([AlertServiceProcess.start(env(run, 'replica-a'), 120_000), AlertServiceProcess.start(env(run, 'replica-b'), 120_000)]);
    processes.push(a as AlertServiceProcess, b as AlertServiceProcess);
    const leases = async () => Promise.all(Array.from({ length: 16 }, (_, p) => admin.get(`{${run}alerts}:lease:${p}`)));
    await waitFor(async () => (await leases()).filter((lease) => lease?.startsWith('replica-a|')).length === 8, { timeoutMs: 30_000, message: 'the replicas to share the partitions' });
    await publish(run);
    await waitFor(async () => (await admin.xlen(`${run}alerts`)) >= expected.length / 3, { timeoutMs: 60_000, message: 'a third of the transitions' });
    expect((await leases()).filter((lease) => lease?.startsWith('replica-a|')).length).toBeGreaterThan(0);
    await (a as AlertServiceProcess).kill('SIGKILL');
    expect(await admin.xlen(`${run}alerts`)).toBeLessThan(expected.length);

    await drained(admin, run, 120_000);
    const got = await transitions(admin, run);
    expect((await leases()).every((lease) => lease?.startsWith('replica-b|'))).toBe(true);
    // Exactly once: the same multiset of transitions, none missing, none twice.
    expect([...got].sort()).toEqual([...expected].sort());
  }, 360_000);
});
