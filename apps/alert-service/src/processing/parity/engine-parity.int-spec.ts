import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { CloudEvent, RedisConnection } from '@rebal/redis-client';
import type { AlertStore } from '../../store';
import { Connections, ManualClock, must, readStream, type AlertEventPayload } from '../../store/test/store-test-kit';
import { processorHarness, type ProcessorHarness } from '../test/processor-test-kit';
import { parityRules, parityScenario, PARITY_RATE_LIMITS, PARITY_SEED, PARITY_T0, type ParityStep, type ParityStream } from './parity-scenario';

/** One change on the `alerts` stream, as the fixture records it (alert ids are random: left out). */
interface RecordedChange {
  type: string;
  ruleId: string;
  fingerprint: string;
  severity: string;
  status: string;
  value: number;
  /** The event's `time`: when the change happened (event time for the engine's changes). */
  time: string;
  actor: string;
  notify: boolean;
  suppressedBy?: string;
  /** Escalations: how many alerts they count. */
  sources?: number;
}

interface ParityFixture {
  description: string;
  seed: number;
  transitions: RecordedChange[];
}

/** Recorded from the engine before issue 12 (commit 13762d1, `ALERT_PARITY_RECORD=1` in that version of this test): never rewritten. */
const FIXTURE = join(__dirname, 'parity-transitions.json');

/** What the scenario needs from an engine: deliver an event of a stream, run the ticker, and the store behind it. */
interface ParityDriver {
  store: AlertStore;
  clock: ManualClock;
  deliver(stream: ParityStream, event: CloudEvent): Promise<void>;
  redeliver(stream: ParityStream, event: CloudEvent): Promise<void>;
  tick(nowMs: number): Promise<void>;
  rulesChanged(): void;
}

/**
 * The engine: a replica holding every partition, fed one event at a time through its input
 * stream. A redelivery is a replica crash: a new replica (the old one abandoned, its leases left
 * to expire) takes every partition over from the checkpoints and re-reads the streams from their
 * high-water marks; nothing it re-reads may change anything, the redelivered event included.
 */
function driver(redis: RedisConnection): ParityDriver {
  const clock = new ManualClock(PARITY_T0);
  const storeOptions = { clock: clock.now, rateLimitPolicy: PARITY_RATE_LIMITS };
  const replica = (shared?: ProcessorHarness) =>
    processorHarness(redis, { clock: clock.now, storeOptions, processorOptions: { leaseTtlMs: 400 }, ...(shared ? { store: shared.store, shareStreams: shared.streams } : {}) });
  let current = replica();
  const store = current.store;
  let ticks = 0;
  return {
    store,
    clock,
    deliver: async (_stream, event) => {
      await current.processor.process(event);
    },
    redeliver: async (stream, event) => {
      const next = replica(current);
      await waitFor(async () => {
        await next.processor.syncOnce();
        return next.processor.replica.owned.length === 16;
      }, { timeoutMs: 10_000, intervalMs: 50, message: 'the new replica to take every partition over' });
      // What the new replica reads again (the events after the last checkpoint) changes nothing.
      const outcomes = await next.processor.replica.pollOnce();
      expect(outcomes.flatMap((outcome) => outcome.changes)).toEqual([]);
      // Nor does the event delivered once more.
      const entry = must((await redis.xrange(next.streams[stream], '-', '+')).find(([, fields]) => fields[fields.indexOf('id') + 1] === event.id));
      expect(await next.processor.replica.handleBatch(next.streams[stream], [entry])).toEqual([{ stream: next.streams[stream], id: entry[0], status: 'duplicate', changes: [] }]);
      current = next;
      ticks = 0;
    },
    tick: async (nowMs) => {
      // A checkpoint every 5th step: a crash then leaves up to 4 events for the next replica to read again.
      ticks += 1;
      if (ticks % 5 === 0) await current.processor.syncOnce();
      await current.processor.tickOnce(nowMs);
    },
    rulesChanged: () => current.rules.invalidate(),
  };
}

/** The newest open alert of a rule; of several raised together, the one with the smallest fingerprint (ids are random). */
async function newestOpenAlertId(store: AlertStore, ruleId: string): Promise<string | undefined> {
  const { items } = await store.list({ label: `rule=${ruleId}`, limit: 500 });
  const open = items.filter((alert) => alert.status !== 'resolved');
  open.sort((a, b) => b.startsAt - a.startsAt || a.fingerprint.localeCompare(b.fingerprint));
  return open[0]?.id;
}

async function run(engine: ParityDriver, steps: readonly ParityStep[]): Promise<void> {
  for (const rule of parityRules()) await engine.store.putRule(rule);
  engine.rulesChanged();
  const silences = new Map<string, string>();
  for (const step of steps) {
    engine.clock.nowMs = step.atMs;
    await engine.tick(step.atMs);
    switch (step.kind) {
      case 'event':
        await engine.deliver(step.stream, step.event);
        break;
      case 'redeliver':
        await engine.redeliver(step.stream, step.event);
        break;
      case 'put-rule':
        await engine.store.putRule(step.rule);
        engine.rulesChanged();
        break;
      case 'silence': {
        const silence = await engine.store.createSilence({
          matchers: step.matchers,
          startsAt: step.atMs + step.startsInMs,
          endsAt: step.atMs + step.endsInMs,
          createdBy: 'parity',
          comment: step.name,
        });
        silences.set(step.name, silence.id);
        break;
      }
      case 'expire-silence':
        await engine.store.deleteSilence(silences.get(step.name) as string);
        break;
      case 'snooze':
      case 'acknowledge':
      case 'resolve': {
        const id = await newestOpenAlertId(engine.store, step.ruleId);
        if (id === undefined) break;
        if (step.kind === 'snooze') await engine.store.snooze(id, step.minutes, 'user:parity');
        else if (step.kind === 'acknowledge') await engine.store.acknowledge(id, 'user:parity');
        else await engine.store.resolve(id, 'user:parity');
        break;
      }
    }
  }
}

async function recorded(redis: RedisConnection, store: AlertStore): Promise<RecordedChange[]> {
  return (await readStream(redis, store.keys.stream)).map(({ event }) => {
    const { alert, actor, notify, suppressedBy } = event.data as AlertEventPayload;
    const change: RecordedChange = {
      type: event.type,
      ruleId: alert.ruleId,
      fingerprint: alert.fingerprint,
      severity: alert.severity,
      status: alert.status,
      value: alert.value,
      time: event.time,
      actor,
      notify,
    };
    if (suppressedBy !== undefined) change.suppressedBy = suppressedBy;
    if (alert.escalation) change.sources = alert.escalation.sourceAlertIds.length;
    return change;
  });
}

describe('engine parity', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);

  it('turns the deterministic scenario into exactly the recorded alert changes', async () => {
    const conn = connections.connect(redis.server);
    const engine = driver(conn);
    await run(engine, parityScenario());
    const changes = await recorded(conn, engine.store);

    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ParityFixture;
    expect(fixture.seed).toBe(PARITY_SEED);
    expect(changes).toHaveLength(fixture.transitions.length);
    changes.forEach((change, index) => expect({ index, change }).toEqual({ index, change: fixture.transitions[index] }));
  }, 120_000);

  it('covers what it must: every rule kind, every change type, pending, hysteresis, timers, escalation, silences, snoozes, rule changes', () => {
    const { transitions } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ParityFixture;
    const types = new Set(transitions.map((change) => change.type));
    expect([...types].sort()).toEqual(['alert.acknowledged', 'alert.escalated', 'alert.raised', 'alert.resolved', 'alert.snoozed', 'alert.updated']);
    for (const rule of parityRules()) {
      expect({ rule: rule.id, raised: transitions.some((change) => change.ruleId === rule.id && change.type === 'alert.raised') }).toEqual({ rule: rule.id, raised: true });
    }
    const suppressed = new Set(transitions.map((change) => change.suppressedBy).filter((reason) => reason !== undefined));
    expect([...suppressed].sort()).toEqual(['budget', 'rate_limit', 'silence', 'snooze']);
    const actors = new Set(transitions.map((change) => change.actor));
    expect([...actors]).toEqual(expect.arrayContaining(['system', 'user:parity', 'rule:btc-above']));
    // A severity change of an open alert, both ways, and resolves by the rules.
    expect(transitions.some((change) => change.type === 'alert.updated' && change.actor.startsWith('rule:'))).toBe(true);
    expect(transitions.filter((change) => change.type === 'alert.resolved' && change.actor.startsWith('rule:')).length).toBeGreaterThan(20);
  });
});
