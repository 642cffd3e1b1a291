import { renderAnnotations } from './annotation-template';
import type { Observation } from './observe';
import type { RuleDefinition } from './rule-definition';
import type { RuleState, StepResult, Transition } from './rule-state';
import { entryThreshold, isRecovered, recoveryLevel, severityFor } from './rule-thresholds';
import { triggerPeriodMs } from './rule-trigger';
import { SEVERITY_NAMES, type Severity } from './severity';

const INACTIVE: RuleState = { phase: 'inactive' };

/**
 * Advances one (rule, fingerprint) with a new observation. `nowMs` is the evaluation time
 * used for every timer (pending, keep-firing, cooldown); pass `observation.atMs` for
 * event-time semantics (deterministic replays) or the wall clock. Rules:
 * - an observation older than `state.lastEventAtMs` is ignored (same state, no transition);
 * - a keep-firing expiry due at or before `nowMs` happens first, at its due time, exactly as
 *   {@link tick} at that time would have made it (`expired`); the observation then meets the
 *   state after it (cooldown from the due time, or inactive). So an evaluation that no tick
 *   interrupted (a replay) and one that was ticked in time (live) publish the same transitions;
 * - `inactive`: value past a threshold → `raise` at once when `pendingSeconds` is 0, else `pending` (since now);
 * - `pending`: condition gone → `inactive` (nothing was published); held for `pendingSeconds`
 *   (nowMs − since ≥ pending) → `raise` with the current severity; otherwise stays pending;
 * - `firing`: value not past the recovery level → stays firing, severity = the highest
 *   threshold passed (at least the least severe one: between recovery and threshold the
 *   alert keeps its entry severity), an `update` when it changed; value past the recovery
 *   level → keep-firing timer starts (`clearedAtMs`), and `resolve` once the value has been
 *   clear for `keepFiringSeconds` (at once when 0); a value back over the recovery level
 *   drops the timer and the alert simply continues;
 * - after `resolve`: `cooldown` until resolvedAtMs + cooldownSeconds, and for a
 *   `{once_per}` trigger at least until the raise + the period (straight to `inactive` when
 *   both have passed). During cooldown nothing raises or goes pending; the first
 *   observation after it ends is handled as from `inactive`.
 */
export function step(rule: RuleDefinition, state: RuleState | undefined, observation: Observation, nowMs: number): StepResult {
  const previous = state ?? INACTIVE;
  if (previous.lastEventAtMs !== undefined && observation.atMs < previous.lastEventAtMs) return { state: previous };
  const dueAtMs = previous.phase === 'firing' ? tickDueAtMs(rule, previous) : undefined;
  if (dueAtMs !== undefined && nowMs >= dueAtMs) {
    const timed = tick(rule, previous, dueAtMs);
    const result = applyObservation(rule, timed.state, observation, nowMs);
    return timed.transition ? { ...result, expired: timed.transition } : result;
  }
  return applyObservation(rule, previous, observation, nowMs);
}

/** `step` after any due expiry: the observation itself. */
function applyObservation(rule: RuleDefinition, previous: RuleState, observation: Observation, nowMs: number): StepResult {
  let base: RuleState = {
    ...previous,
    lastValue: observation.value,
    lastEventAtMs: observation.atMs,
    labels: observation.labels,
    fingerprint: observation.fingerprint,
  };
  if (observation.details) base.details = observation.details;
  else delete base.details;

  if (base.phase === 'cooldown') {
    if (!cooldownOver(rule, base, nowMs)) return { state: base };
    base = toInactive(base);
  }
  const value = observation.value;
  const current = severityFor(rule, value);

  if (base.phase === 'firing') return stepFiring(rule, base, current, value, nowMs);
  if (base.phase === 'pending') {
    if (current === undefined) return { state: toInactive(base) };
    if (nowMs - (base.since ?? nowMs) >= rule.pendingSeconds * 1000) return raise(rule, base, current, value, nowMs);
    return { state: { ...base, pendingSeverity: current } };
  }
  if (current === undefined) return { state: base };
  if (rule.pendingSeconds === 0) return raise(rule, base, current, value, nowMs);
  return { state: { ...base, phase: 'pending', since: nowMs, pendingSeverity: current } };
}

/**
 * Time-driven transitions, for a state that has seen no new observation (the store calls
 * it from a timer, e.g. at {@link tickDueAtMs}):
 * - `firing` whose keep-firing timer has run `keepFiringSeconds` → `resolve` (value: the
 *   last one; labels: the last observation's) → `cooldown` or `inactive`;
 * - `cooldown` past resolvedAtMs + cooldownSeconds → `inactive` (no transition).
 * `pending` → `raise` is NOT done here: it needs an observation that the condition still holds.
 */
export function tick(rule: RuleDefinition, state: RuleState, nowMs: number): StepResult {
  if (state.phase === 'firing' && state.clearedAtMs !== undefined && state.fingerprint !== undefined) {
    if (nowMs - state.clearedAtMs >= rule.keepFiringSeconds * 1000) {
      return resolve(rule, state, state.lastValue ?? recoveryLevel(rule), nowMs);
    }
  }
  if (state.phase === 'cooldown' && cooldownOver(rule, state, nowMs)) return { state: toInactive(state) };
  return { state };
}

/** When {@link tick} would next change `state` (keep-firing expiry or cooldown end), or `undefined`. */
export function tickDueAtMs(rule: RuleDefinition, state: RuleState): number | undefined {
  if (state.phase === 'firing' && state.clearedAtMs !== undefined) return state.clearedAtMs + rule.keepFiringSeconds * 1000;
  if (state.phase === 'cooldown') return cooldownEndMs(rule, state);
  return undefined;
}

/** When a cooldown ends: `cooldownSeconds` after the resolve, and for a `{once_per}` trigger not before the period since the raise. */
function cooldownEndMs(rule: RuleDefinition, state: RuleState): number {
  const end = (state.resolvedAtMs ?? state.since ?? 0) + rule.cooldownSeconds * 1000;
  const period = triggerPeriodMs(rule.trigger);
  return period === undefined || state.raisedAtMs === undefined ? end : Math.max(end, state.raisedAtMs + period);
}

function stepFiring(
  rule: RuleDefinition,
  base: RuleState,
  current: Severity | undefined,
  value: number,
  nowMs: number,
): StepResult {
  const severity = base.severity ?? entryThreshold(rule).severity;
  if (isRecovered(rule, value)) {
    const clearedAtMs = base.clearedAtMs ?? nowMs;
    if (nowMs - clearedAtMs >= rule.keepFiringSeconds * 1000) return resolve(rule, base, value, nowMs);
    return { state: { ...base, clearedAtMs } };
  }
  const next: RuleState = { ...base, severity };
  delete next.clearedAtMs;
  const target = current ?? entryThreshold(rule).severity;
  if (target === severity) return { state: next };
  return {
    state: { ...next, severity: target },
    transition: transition(rule, 'update', target, next, value, nowMs, severity),
  };
}

function raise(rule: RuleDefinition, base: RuleState, severity: Severity, value: number, nowMs: number): StepResult {
  const state: RuleState = { ...base, phase: 'firing', since: nowMs, severity };
  delete state.pendingSeverity;
  delete state.clearedAtMs;
  return { state, transition: transition(rule, 'raise', severity, state, value, nowMs) };
}

function resolve(rule: RuleDefinition, base: RuleState, value: number, nowMs: number): StepResult {
  const severity = base.severity ?? entryThreshold(rule).severity;
  const state: RuleState = { ...base, phase: 'cooldown', since: nowMs, resolvedAtMs: nowMs };
  // A once_per rule's quiet time runs from the raise (a firing state's `since`); other states stay as they were.
  if (triggerPeriodMs(rule.trigger) !== undefined && base.since !== undefined) state.raisedAtMs = base.since;
  else delete state.raisedAtMs;
  if (!(cooldownEndMs(rule, state) > nowMs)) state.phase = 'inactive';
  delete state.severity;
  delete state.clearedAtMs;
  delete state.pendingSeverity;
  if (state.phase === 'inactive') {
    delete state.since;
    delete state.raisedAtMs;
  }
  return { state, transition: transition(rule, 'resolve', severity, base, value, nowMs) };
}

function toInactive(state: RuleState): RuleState {
  const next: RuleState = { ...state, phase: 'inactive' };
  delete next.since;
  delete next.severity;
  delete next.pendingSeverity;
  delete next.clearedAtMs;
  delete next.raisedAtMs;
  return next;
}

function cooldownOver(rule: RuleDefinition, state: RuleState, nowMs: number): boolean {
  return nowMs >= cooldownEndMs(rule, state);
}

function transition(
  rule: RuleDefinition,
  kind: Transition['kind'],
  severity: Severity,
  state: RuleState,
  value: number,
  nowMs: number,
  previousSeverity?: Severity,
): Transition {
  const labels = state.labels ?? { rule: rule.id, kind: rule.kind };
  const threshold = rule.severities[severity] ?? entryThreshold(rule).threshold;
  const annotations = renderAnnotations(rule, {
    ...ruleVariables(rule),
    ...state.details,
    ...labels,
    rule: rule.id,
    ruleName: rule.name,
    kind: rule.kind,
    value,
    severity,
    severityName: SEVERITY_NAMES[severity],
    threshold,
    recovery: recoveryLevel(rule),
    transition: kind,
  });
  const result: Transition = {
    kind,
    ruleId: rule.id,
    severity,
    value,
    threshold,
    labels,
    fingerprint: state.fingerprint ?? '',
    annotations,
    atMs: nowMs,
  };
  if (previousSeverity !== undefined) result.previousSeverity = previousSeverity;
  const action = kind === 'resolve' ? undefined : rule.actions?.[severity];
  if (action) result.action = action;
  return result;
}

/** Template variables that come from the rule itself (see KIND_TEMPLATE_VARIABLES). */
function ruleVariables(rule: RuleDefinition): Record<string, string | number | undefined> {
  switch (rule.kind) {
    case 'price_threshold':
    case 'risk_threshold':
      return { direction: rule.direction };
    case 'price_change':
      return { direction: rule.direction, windowSeconds: rule.windowSeconds };
    case 'portfolio_drift':
      return { band: rule.band };
    default:
      return {};
  }
}
