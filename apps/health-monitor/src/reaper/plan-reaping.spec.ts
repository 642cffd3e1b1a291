import { group, record, stream } from '../test/fixtures';
import { instancesToForget, planReaping, type PlanReapingInput } from './plan-reaping';

const NOW = 1_000_000;
const base: Omit<PlanReapingInput, 'streams' | 'records'> = { nowMs: NOW, graceMs: 10_000, observingSinceMs: 0 };
const idle = (ms: number, pending = 0, name = 'x') => ({ name, pending, idleMs: ms });

describe('planReaping', () => {
  it('destroys the fan-out group of an instance silent past the grace period whose consumer is idle', () => {
    const streams = [stream('market_data', [group({ name: 'gateway.dead', consumers: [idle(20_000, 0, 'dead')] })])];
    const actions = planReaping({ ...base, streams, records: [record('streaming-gateway', 'dead', NOW - 15_000)] });
    expect(actions).toEqual([expect.objectContaining({ kind: 'destroy-group', stream: 'market_data', group: 'gateway.dead', instance: 'dead' })]);
  });

  it('never touches the group of an instance that still sends heartbeats', () => {
    const streams = [stream('market_data', [group({ name: 'gateway.live', consumers: [idle(60_000, 0, 'live')] })])];
    expect(planReaping({ ...base, streams, records: [record('streaming-gateway', 'live', NOW - 1_000)] })).toEqual([]);
  });

  it('never touches a group whose consumer read within the grace period, whatever the heartbeats say', () => {
    const streams = [stream('market_data', [group({ name: 'gateway.quiet', consumers: [idle(2_000, 0, 'quiet')] })])];
    expect(planReaping({ ...base, streams, records: [record('streaming-gateway', 'quiet', NOW - 60_000)] })).toEqual([]);
  });

  it('issue 11 item 25: never destroys a fan-out group with nothing waiting for it, whatever its consumers\' idle times (a reader may be blocked there)', () => {
    const caughtUp = (name: string, consumers: ReturnType<typeof idle>[]) => group({ name, lastDeliveredId: '10-0', consumers });
    const streams = [stream('alerts', [caughtUp('gateway.quiet', [idle(60_000, 0, 'quiet')]), caughtUp('gateway.noconsumer', [])])];
    const records = [record('streaming-gateway', 'quiet', NOW - 60_000), record('streaming-gateway', 'noconsumer', NOW - 60_000)];
    expect(planReaping({ ...base, streams, records })).toEqual([]);
    // The same groups with an entry they were not given are candidates.
    const behind = [stream('alerts', [group({ name: 'gateway.quiet', consumers: [idle(60_000, 0, 'quiet')] }), group({ name: 'gateway.noconsumer' })])];
    expect(planReaping({ ...base, streams: behind, records }).map((a) => a.kind)).toEqual(['destroy-group', 'destroy-group']);
  });

  it('waits a whole grace period of observation before reaping the group of an instance never seen', () => {
    const streams = [stream('alerts', [group({ name: 'gateway.ghost' })])];
    expect(planReaping({ ...base, observingSinceMs: NOW - 5_000, streams, records: [] })).toEqual([]);
    expect(planReaping({ ...base, observingSinceMs: NOW - 11_000, streams, records: [] })).toHaveLength(1);
  });

  it('deletes idle consumers of gone known instances from shared groups, only with nothing pending', () => {
    const streams = [stream('market_data', [group({ name: 'alert-service', consumers: [idle(20_000, 0, 'gone'), idle(20_000, 3, 'gone-busy'), idle(20_000, 0, 'stranger'), idle(100, 0, 'live')] })])];
    const records = [record('alert-service', 'gone', NOW - 20_000), record('alert-service', 'gone-busy', NOW - 20_000), record('alert-service', 'live', NOW)];
    const actions = planReaping({ ...base, streams, records });
    expect(actions).toEqual([expect.objectContaining({ kind: 'delete-consumer', group: 'alert-service', consumer: 'gone' })]);
  });
});

describe('instancesToForget', () => {
  it('returns instances silent longer than the forget period', () => {
    const records = [record('a', 'old', NOW - 100), record('a', 'new', NOW - 10)];
    expect(instancesToForget(records, NOW, 50).map((r) => r.instance)).toEqual(['old']);
  });
});
