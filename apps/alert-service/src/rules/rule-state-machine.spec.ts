import { alertFingerprint } from './alert-fingerprint';
import type { Observation } from './observe';
import { parseRuleDefinition } from './rule-definition';
import type { RuleState } from './rule-state';
import { step, tick, tickDueAtMs } from './rule-state-machine';

const T0 = 1_740_830_400_000;
const labels = { rule: 'drift', kind: 'portfolio_drift', portfolioId: 'p1', symbol: 'BTC' };
const at = (seconds: number, value: number): Observation => ({
  labels,
  fingerprint: alertFingerprint(labels),
  value,
  atMs: T0 + seconds * 1000,
  details: { weightPercent: 50 + value, targetPercent: 50 },
});
const rule = (overrides: Record<string, unknown> = {}) =>
  parseRuleDefinition({
    id: 'drift',
    name: 'Drift',
    kind: 'portfolio_drift',
    band: 'absolute',
    severities: { S2: 5, S3: 10 },
    recovery: 4,
    actions: { S2: { type: 'apply_policy', mode: 'Slow' }, S3: { type: 'apply_policy', mode: 'Freeze' } },
    ...overrides,
  });

/** Steps through `values` (one per 10 s from T0) and returns the final state. */
function replay(definition: ReturnType<typeof rule>, values: number[]): RuleState {
  let state: RuleState | undefined;
  values.forEach((value, index) => {
    state = step(definition, state, at(index * 10, value), T0 + index * 10_000).state;
  });
  return state as RuleState;
}

describe('step', () => {
  it('suggests the action of each severity on raise and update, and none on resolve', () => {
    const definition = rule();
    const raised = step(definition, undefined, at(0, 6), T0);
    expect(raised.transition).toMatchObject({ kind: 'raise', severity: 'S2', threshold: 5, action: { type: 'apply_policy', mode: 'Slow' } });
    const escalated = step(definition, raised.state, at(10, 12), T0 + 10_000);
    expect(escalated.transition).toMatchObject({ kind: 'update', severity: 'S3', previousSeverity: 'S2', action: { mode: 'Freeze' } });
    const resolved = step(definition, escalated.state, at(20, 3), T0 + 20_000);
    expect(resolved.transition).toMatchObject({ kind: 'resolve', severity: 'S3', value: 3 });
    expect(resolved.transition?.action).toBeUndefined();
  });

  it('de-escalates to the entry severity while the value hovers above the recovery level', () => {
    const definition = rule();
    const state = replay(definition, [12]);
    const hovering = step(definition, state, at(10, 4.5), T0 + 10_000);
    expect(hovering.transition).toMatchObject({ kind: 'update', severity: 'S2', previousSeverity: 'S3' });
    expect(hovering.state.phase).toBe('firing');
  });

  it('keeps firing at exactly the recovery level and resolves just past it', () => {
    const definition = rule();
    const atRecovery = step(definition, replay(definition, [6]), at(10, 4), T0 + 10_000);
    expect(atRecovery.transition).toBeUndefined();
    expect(atRecovery.state.phase).toBe('firing');
    expect(step(definition, atRecovery.state, at(20, 3.99), T0 + 20_000).transition?.kind).toBe('resolve');
  });

  it('without a recovery level, resolves as soon as the value is below the first threshold', () => {
    const definition = rule({ recovery: undefined });
    const state = replay(definition, [5]);
    expect(step(definition, state, at(10, 5), T0 + 10_000).transition).toBeUndefined();
    expect(step(definition, state, at(10, 4.99), T0 + 10_000).transition?.kind).toBe('resolve');
  });

  it('renders the rule annotations with labels, details and the transition values', () => {
    const definition = rule({
      annotations: {
        summary: '{{portfolioId}}/{{symbol}} drift {{value}} pts ({{severityName}} from {{threshold}})',
        description: '{{transition}}: weight {{weightPercent}}% vs {{targetPercent}}%, clears below {{recovery}}; rule {{ruleName}}',
      },
    });
    const { transition } = step(definition, undefined, at(0, 12.345), T0);
    expect(transition?.annotations).toEqual({
      summary: 'p1/BTC drift 12.345 pts (critical from 10)',
      description: 'raise: weight 62.345% vs 50%, clears below 4; rule Drift',
    });
  });

  it('uses the default summary of the kind when the rule has none', () => {
    const { transition } = step(rule(), undefined, at(0, 6), T0);
    expect(transition?.annotations).toEqual({ summary: 'p1: BTC weight 56% vs target 50% (absolute drift 6%)' });
  });

  it('measures pending and cooldown with the given clock, not the event time', () => {
    const definition = rule({ pendingSeconds: 60 });
    const pending = step(definition, undefined, at(0, 6), T0);
    // The same event time, evaluated a minute later by the wall clock.
    expect(step(definition, pending.state, at(0, 6), T0 + 60_000).transition?.kind).toBe('raise');
  });

  it('returns the very same state for an out-of-order observation', () => {
    const definition = rule();
    const state = replay(definition, [6, 7]);
    const result = step(definition, state, at(5, 1), T0 + 30_000);
    expect(result.state).toBe(state);
    expect(result.transition).toBeUndefined();
  });

  it('keeps plain JSON in its state', () => {
    const state = replay(rule({ keepFiringSeconds: 60, cooldownSeconds: 60 }), [6, 12, 3]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({ phase: 'firing', severity: 'S3', clearedAtMs: T0 + 20_000, lastValue: 3, labels });
  });
});

describe('tick', () => {
  it('resolves a cleared alert once the keep-firing period has passed, with its last value and labels', () => {
    const definition = rule({ keepFiringSeconds: 60, cooldownSeconds: 120 });
    const state = replay(definition, [6, 3]); // cleared at T0 + 10 s
    expect(tickDueAtMs(definition, state)).toBe(T0 + 70_000);
    expect(tick(definition, state, T0 + 69_999)).toEqual({ state });
    const { state: after, transition } = tick(definition, state, T0 + 70_000);
    expect(transition).toMatchObject({ kind: 'resolve', severity: 'S2', value: 3, labels, fingerprint: alertFingerprint(labels) });
    expect(after).toMatchObject({ phase: 'cooldown', resolvedAtMs: T0 + 70_000 });
    expect(tickDueAtMs(definition, after)).toBe(T0 + 190_000);
  });

  it('ends a cooldown without a transition', () => {
    const definition = rule({ cooldownSeconds: 120 });
    const state = replay(definition, [6, 3]); // resolved at T0 + 10 s
    expect(tick(definition, state, T0 + 129_999).state.phase).toBe('cooldown');
    expect(tick(definition, state, T0 + 130_000)).toEqual({ state: expect.objectContaining({ phase: 'inactive' }) });
  });

  it('never raises a pending condition: that needs an observation', () => {
    const definition = rule({ pendingSeconds: 60 });
    const state = replay(definition, [6]);
    expect(state.phase).toBe('pending');
    expect(tickDueAtMs(definition, state)).toBeUndefined();
    expect(tick(definition, state, T0 + 3_600_000)).toEqual({ state });
  });

  it('leaves a firing alert that is not cleared alone', () => {
    const definition = rule({ keepFiringSeconds: 60 });
    const state = replay(definition, [6]);
    expect(tickDueAtMs(definition, state)).toBeUndefined();
    expect(tick(definition, state, T0 + 3_600_000).transition).toBeUndefined();
  });
});

describe('event time: ticked and unticked evaluations agree', () => {
  /** Steps through `observations`; `ticked` also ticks every state at its own due time before the next observation, as the ticker does live. */
  function run(definition: ReturnType<typeof rule>, observations: Observation[], ticked: boolean) {
    const published: Array<[string, string, number]> = [];
    let state: RuleState | undefined;
    const publish = (transition: { kind: string; severity: string; atMs: number } | undefined) => {
      if (transition) published.push([transition.kind, transition.severity, transition.atMs - T0]);
    };
    for (const observation of observations) {
      for (let due = state && tickDueAtMs(definition, state); ticked && state && due !== undefined && due <= observation.atMs; due = tickDueAtMs(definition, state)) {
        const result = tick(definition, state, due);
        publish(result.transition);
        state = result.state;
      }
      const result = step(definition, state, observation, observation.atMs);
      publish(result.expired);
      publish(result.transition);
      state = result.state;
    }
    return published;
  }

  it('issue 11 item 17: an observation after a keep-firing due time first resolves the alert at that time, as a tick would have', () => {
    const definition = rule({ keepFiringSeconds: 300 });
    const observations = [at(0, 6), at(10, 3), at(400, 6)];
    const replayed = run(definition, observations, false);
    expect(replayed).toEqual([
      ['raise', 'S2', 0],
      ['resolve', 'S2', 310_000],
      ['raise', 'S2', 400_000],
    ]);
    expect(run(definition, observations, true)).toEqual(replayed);
  });

  it('issue 11 item 17: with a cooldown, the cooldown runs from that due time in both', () => {
    const definition = rule({ keepFiringSeconds: 300, cooldownSeconds: 600 });
    for (const observations of [
      [at(0, 6), at(10, 3), at(400, 6), at(909, 11), at(910, 11)],
      [at(0, 11), at(10, 3), at(20, 5), at(30, 2), at(331, 2), at(1000, 6)],
    ]) {
      expect(run(definition, observations, false)).toEqual(run(definition, observations, true));
    }
    expect(run(definition, [at(0, 6), at(10, 3), at(400, 6), at(909, 11), at(910, 11)], false)).toEqual([
      ['raise', 'S2', 0],
      ['resolve', 'S2', 310_000],
      ['raise', 'S3', 910_000],
    ]);
  });
});

describe('triggers (issue 15)', () => {
  it('a once_per rule fires at most once per period from its raise: a resolve within it cools down until the period ends', () => {
    const definition = rule({ trigger: { once_per: '1m' } });
    // Raised at 0 s, resolved at 10 s, breached again at 20 s and 50 s: quiet until 60 s.
    const raised = step(definition, undefined, at(0, 6), T0);
    expect(raised.transition?.kind).toBe('raise');
    const resolved = step(definition, raised.state, at(10, 3), T0 + 10_000);
    expect(resolved.transition?.kind).toBe('resolve');
    expect(resolved.state).toMatchObject({ phase: 'cooldown', resolvedAtMs: T0 + 10_000, raisedAtMs: T0 });
    expect(tickDueAtMs(definition, resolved.state)).toBe(T0 + 60_000);
    const muted = step(definition, resolved.state, at(20, 12), T0 + 20_000);
    expect(muted.transition).toBeUndefined();
    expect(step(definition, muted.state, at(50, 12), T0 + 50_000).transition).toBeUndefined();
    // At 60 s the period since the raise has passed: the breach fires again.
    expect(step(definition, muted.state, at(60, 12), T0 + 60_000).transition).toMatchObject({ kind: 'raise', severity: 'S3' });
    expect(tick(definition, muted.state, T0 + 60_000).state).toMatchObject({ phase: 'inactive' });
    expect(tick(definition, muted.state, T0 + 60_000).state.raisedAtMs).toBeUndefined();
  });

  it('a once_per period shorter than the alert lasted leaves nothing to wait for; a longer cooldown still counts', () => {
    const short = rule({ trigger: { once_per: '30s' } });
    const afterLongAlert = replay(short, [6, 6, 6, 6, 3]); // raised at 0 s, resolved at 40 s
    expect(afterLongAlert).toMatchObject({ phase: 'inactive' });
    expect(afterLongAlert.raisedAtMs).toBeUndefined();
    const both = rule({ trigger: { once_per: '30s' }, cooldownSeconds: 120 });
    const cooling = replay(both, [6, 3]);
    expect(tickDueAtMs(both, cooling)).toBe(T0 + 130_000);
  });

  it('keeps the states of an every_time rule exactly as before: no raise time is recorded', () => {
    const definition = rule({ cooldownSeconds: 60 });
    const state = replay(definition, [6, 3]);
    expect(state).toEqual(expect.objectContaining({ phase: 'cooldown', since: T0 + 10_000, resolvedAtMs: T0 + 10_000 }));
    expect('raisedAtMs' in state).toBe(false);
  });
});
