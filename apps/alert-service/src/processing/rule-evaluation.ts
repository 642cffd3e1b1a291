import { candidateRules, observe, step, tickDueAtMs, type Observation, type ObserveContext, type RuleDefinition, type RuleEvent } from '../rules';
import type { RuleStateWrite, RuleTransition, VersionedRuleState } from '../store';
import type { PriceLookup } from './price-history';

/** One observation of one rule. */
export interface ObservedRule {
  rule: RuleDefinition;
  observation: Observation;
}

/** What evaluating one event's observations produced. */
export interface EventEvaluation {
  /** States to write (one per rule and fingerprint), with the versions they were read at. */
  writes: RuleStateWrite[];
  /** Transitions to commit, in order. */
  transitions: RuleTransition[];
  /** Per observation: its rule kind and outcome (`raise`, `update`, `resolve`, `unchanged`, `ignored`). */
  outcomes: Array<{ kind: string; outcome: string }>;
}

/** The event time of an event in ms, or `undefined` when `time` is unreadable. */
export function eventTimeMs(event: Pick<RuleEvent, 'time'>): number | undefined {
  const atMs = Date.parse(event.time);
  return Number.isFinite(atMs) ? atMs : undefined;
}

/** The reference prices the enabled `price_change` rules need for a `price_update` event. */
export function priceLookups(rules: readonly RuleDefinition[], event: RuleEvent): PriceLookup[] {
  const atMs = eventTimeMs(event);
  const data = event.data as { symbol?: unknown } | undefined;
  if (event.type !== 'price_update' || atMs === undefined || typeof data?.symbol !== 'string') return [];
  const lookups = new Map<string, PriceLookup>();
  // Candidates are the enabled rules on this symbol already.
  for (const rule of candidateRules(rules, event)) {
    if (rule.kind !== 'price_change') continue;
    const lookup = { symbol: rule.symbol, atMs: atMs - rule.windowSeconds * 1000 };
    lookups.set(`${lookup.symbol}@${lookup.atMs}`, lookup);
  }
  return [...lookups.values()];
}

/** Longest `price_change` window (ms) among the enabled rules on `symbol` (0 when none). */
export function longestWindowMs(rules: readonly RuleDefinition[], symbol: string): number {
  let longest = 0;
  for (const rule of candidateRules(rules, { type: 'price_update', data: { symbol } })) {
    if (rule.kind === 'price_change') longest = Math.max(longest, rule.windowSeconds * 1000);
  }
  return longest;
}

/** Every observation every rule makes of the event (only the rules that can observe it are asked). */
export function observeAll(rules: readonly RuleDefinition[], event: RuleEvent, context: ObserveContext): ObservedRule[] {
  return candidateRules(rules, event).flatMap((rule) => observe(rule, event, context).map((observation) => ({ rule, observation })));
}

/**
 * Runs `step` for each observation against the states read (`states[i]` belongs to
 * `observed[i]`), with `nowMs` the event time so replays are deterministic. An ignored
 * (out-of-order) observation writes nothing. Each state written carries its frame offset (how
 * far the event lags the wall clock: `frameOffsetMs`, or the stored one for an observation that
 * does not move the state's event time on) and its due time in that frame: the event-time due
 * plus the offset, the wall-clock time at which the ticker may act on it (rules README). Pure.
 */
export function evaluateObserved(
  observed: readonly ObservedRule[],
  states: ReadonlyArray<VersionedRuleState | undefined>,
  nowMs: number,
  frameOffsetMs = 0,
): EventEvaluation {
  const writes = new Map<string, RuleStateWrite>();
  const transitions: RuleTransition[] = [];
  const outcomes: EventEvaluation['outcomes'] = [];
  observed.forEach(({ rule, observation }, index) => {
    const key = `${rule.id}|${observation.fingerprint}`;
    const pending = writes.get(key);
    const stored = states[index];
    const previous = pending ? pending.state : stored?.state;
    const result = step(rule, previous, observation, nowMs);
    if (previous !== undefined && result.state === previous) {
      outcomes.push({ kind: rule.kind, outcome: 'ignored' });
      return;
    }
    const dueAtMs = tickDueAtMs(rule, result.state);
    // Only an observation that moves the state's event time on moves its frame: the same event
    // evaluated again (a replay) keeps the frame its first evaluation set.
    const offset = previous?.lastEventAtMs !== undefined && observation.atMs <= previous.lastEventAtMs ? ((pending ?? stored)?.frameOffsetMs ?? 0) : frameOffsetMs;
    writes.set(key, {
      ruleId: rule.id,
      fingerprint: observation.fingerprint,
      expectedVersion: pending ? pending.expectedVersion : (stored?.version ?? 0),
      state: result.state,
      dueAtMs: dueAtMs === undefined ? undefined : dueAtMs + offset,
      frameOffsetMs: offset,
    });
    if (result.expired) {
      transitions.push({ kind: rule.kind, transition: result.expired });
      outcomes.push({ kind: rule.kind, outcome: result.expired.kind });
    }
    if (result.transition) transitions.push({ kind: rule.kind, transition: result.transition });
    outcomes.push({ kind: rule.kind, outcome: result.transition?.kind ?? 'unchanged' });
  });
  return { writes: [...writes.values()], transitions, outcomes };
}
