import type { CloudEvent, RedisConnection } from '@rebal/redis-client';
import { waitFor } from '@rebal/redis-testing';
import type { AlertChangeJson, AlertJson } from '../../src/api';
import { alertKeys } from '../../src/store';
import { ApiClient, signToken } from '../support/api-client';
import { priceEvent, testPublisher, thresholdRule } from '../support/events';
import { AlertServiceProcess } from '../support/service-process';
import { serviceEnv, uniquePrefix } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

const SYMBOLS = 50;
const PER_SYMBOL = 200;

/**
 * `SYMBOLS` × `PER_SYMBOL` price events, in time order per symbol and interleaved across
 * symbols: the first 40 % at 50, then 150 (S1), from 70 % on 250 (S2). In whatever order two
 * replicas handle them (older events than the last one applied are ignored, and no accepted
 * event clears the condition), each symbol ends with exactly one alert, raised once, firing at S2.
 */
function priceRamp(t0: number): CloudEvent[] {
  const events: CloudEvent[] = [];
  for (let i = 0; i < PER_SYMBOL; i += 1) {
    for (let n = 0; n < SYMBOLS; n += 1) {
      const share = i / PER_SYMBOL;
      events.push(priceEvent(`R${n}`, share < 0.4 ? 50 : share < 0.7 ? 150 : 250, t0 + i * 1000, `ramp-${n}-${i}-${t0}`));
    }
  }
  return events;
}

/** The group's state on a stream: entries not yet delivered (lag) and delivered but unacknowledged (pending). */
async function groupProgress(admin: RedisConnection, stream: string): Promise<{ lag: number; pending: number }> {
  const groups = (await admin.xinfo('GROUPS', stream)) as unknown[][];
  const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === 'alert-service') ?? [];
  return { lag: Number(group[group.indexOf('lag') + 1] ?? -1), pending: Number(group[group.indexOf('pending') + 1] ?? -1) };
}

/** Two real processes sharing the work, one of them SIGKILLed halfway. */
export function replicaTests(fx: SharedFixture): void {
  describe('two replicas', () => {
    const processes: AlertServiceProcess[] = [];
    afterAll(async () => {
      await Promise.all(processes.map((process) => process.kill('SIGKILL')));
    }, 30_000);

    it('turn 10,000 price events into every expected alert exactly once, with one replica SIGKILLed midway', async () => {
      const prefix = uniquePrefix();
      const stream = `${prefix}market_data`;
      const env = serviceEnv(fx.server(), prefix, { CONSUMER_CLAIM_IDLE: '1s', CONSUMER_CLAIM_INTERVAL: '200ms', CONSUMER_BLOCK: '200ms', LOG_LEVEL: 'info' });
      const [a, b] = await Promise.all([AlertServiceProcess.start({ ...env, INSTANCE_ID: 'replica-a' }), AlertServiceProcess.start({ ...env, INSTANCE_ID: 'replica-b' })]);
      processes.push(a as AlertServiceProcess, b as AlertServiceProcess);
      const api = new ApiClient((b as AlertServiceProcess).url, await signToken('carol'));
      for (let n = 0; n < SYMBOLS; n += 1) {
        await api.expect(201, 'POST', '/rules', thresholdRule(`r${n}`, `R${n}`, 100, 200));
        // Never fires (prices only rise), but makes the service keep each price event of the symbol in its price history.
        await api.expect(201, 'POST', '/rules', { id: `r${n}-fall`, name: `R${n} falls`, kind: 'price_change', symbol: `R${n}`, windowSeconds: 3600, direction: 'down', severities: { S1: 99 } });
      }
      // Both replicas load the rules at their first event, after all were created.
      expect((await new ApiClient((a as AlertServiceProcess).url, await signToken('carol')).get<{ items: unknown[] }>('/rules')).items).toHaveLength(2 * SYMBOLS);

      const events = priceRamp(Date.now() - PER_SYMBOL * 1000);
      const publisher = testPublisher(fx.admin, prefix);
      for (let i = 0; i < events.length; i += 1000) await publisher.publishMany('market_data', events.slice(i, i + 1000));
      const acked = async () => {
        const { lag, pending } = await groupProgress(fx.admin, stream);
        return events.length - lag - pending;
      };
      await waitFor(async () => (await acked()) >= 3_000, { timeoutMs: 60_000, message: 'a third of the events acknowledged' });
      expect(await acked()).toBeLessThan(events.length);

      // Replica A dies without any cleanup, holding partitions with events read and not checkpointed.
      const leases = alertKeys(`${prefix}alerts`);
      const holders = async () => Promise.all(Array.from({ length: 16 }, (_, p) => fx.admin.get(leases.lease(p))));
      await (a as AlertServiceProcess).kill('SIGKILL');
      const orphaned = (await holders()).filter((lease) => lease?.startsWith('replica-a|')).length;
      expect(orphaned).toBeGreaterThan(0);
      await waitFor(async () => {
        const { lag, pending } = await groupProgress(fx.admin, stream);
        return lag === 0 && pending === 0;
      }, { timeoutMs: 90_000, intervalMs: 200, message: 'every event acknowledged by the surviving replica' });

      // Every expected alert exactly once: one per symbol, firing at S2, and one S3 escalation of the S2 burst
      // that every S2 alert joined exactly once (its version counts them: raised at the 2nd, updated by each next one).
      const all = (await api.get<{ items: AlertJson[] }>('/alerts?limit=500')).items;
      const alerts = all.filter((alert) => alert.ruleId !== 'escalation');
      expect(alerts).toHaveLength(SYMBOLS);
      expect(new Set(alerts.map((alert) => alert.labels['symbol'])).size).toBe(SYMBOLS);
      expect(alerts.every((alert) => alert.status === 'firing' && alert.severity === 'S2')).toBe(true);
      const escalations = all.filter((alert) => alert.ruleId === 'escalation');
      expect(escalations).toHaveLength(1);
      const escalation = escalations[0] as AlertJson;
      expect({ severity: escalation.severity, status: escalation.status, version: escalation.version }).toEqual({ severity: 'S3', status: 'firing', version: SYMBOLS - 1 });
      expect([...(escalation.escalation?.sourceAlertIds ?? [])].sort()).toEqual(alerts.map((alert) => alert.id).sort());
      const entries = await fx.admin.xrange(`${prefix}alerts`, '-', '+');
      const eventIds = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]);
      expect(new Set(eventIds).size).toBe(eventIds.length);
      const raised = entries.filter(([, fields]) => fields[fields.indexOf('type') + 1] === 'alert.raised').map(([, fields]) => fields[fields.indexOf('subject') + 1]);
      expect(raised.sort()).toEqual(alerts.map((alert) => alert.id).sort());
      for (const alert of alerts) {
        const history = (await api.get<{ items: AlertChangeJson[] }>(`/alerts/${alert.id}/history`)).items;
        expect(history.map((change) => change.alert.version)).toEqual(history.map((_, i) => i + 1));
        expect(history[0]?.type).toBe('alert.raised');
      }
      // No event lost or counted twice: the price history the partitions wrote records each price event of each symbol exactly once.
      const recorded = new Map<string, number[]>();
      for (let p = 0; p < 16; p += 1) {
        for (const [, fields] of await fx.admin.xrange(leases.partitionPrices(p), '-', '+')) {
          for (const [symbol, records] of Object.entries(JSON.parse(fields[fields.indexOf('d') + 1] as string) as Record<string, number[]>)) {
            // [keep, time, price] each; a keep of -1 is a point written again (unchanged), not a record.
            for (let i = 0; i + 2 < records.length; i += 3) if (records[i] !== -1) recorded.set(symbol, [...(recorded.get(symbol) ?? []), records[i + 1] as number]);
          }
        }
      }
      for (let n = 0; n < SYMBOLS; n += 1) {
        const times = recorded.get(`R${n}`) ?? [];
        expect(new Set(times).size).toBe(PER_SYMBOL);
        expect(times.length).toBe(PER_SYMBOL);
      }
      expect(await fx.admin.xlen(`${stream}:dlq`)).toBe(0);
      // The survivor took over every partition the dead replica held.
      expect((await holders()).filter((lease) => lease?.startsWith('replica-a|'))).toEqual([]);
    }, 240_000);
  });
}
