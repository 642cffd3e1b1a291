import { observe, type ObserveContext, type Observation, type RuleEvent } from './observe';
import type { RuleDefinition } from './rule-definition';
import type { RuleState, Transition } from './rule-state';
import { step } from './rule-state-machine';

/** Options of {@link evaluateEvent}. */
export interface EvaluateEventOptions {
  /** The stored state of a fingerprint, or `undefined` when there is none. */
  stateOf: (fingerprint: string) => RuleState | undefined;
  /** Evaluation time for the timers (default: each observation's event time, `atMs`). */
  nowMs?: number;
  /** Passed to `observe` (the `priceAt` price history for `price_change` rules). */
  context?: ObserveContext;
}

/** What one observation of an event did. */
export interface EvaluatedObservation {
  /** The observation. */
  observation: Observation;
  /** The state before (`undefined` when the fingerprint had none). */
  previous: RuleState | undefined;
  /** The state to store under `observation.fingerprint`. */
  state: RuleState;
  /** A keep-firing expiry that came due before the observation (see `step`): publish it first. */
  expired?: Transition;
  /** The transition to publish, when there is one. */
  transition?: Transition;
}

/**
 * `observe` then `step` for every observation of one event under one rule: the whole pure
 * evaluation the consumer runs per (event, rule). The caller loads states through
 * `stateOf`, then stores each returned `state` and publishes each `transition` (together,
 * in one script). An ignored (out-of-order) observation returns `previous` itself as `state`:
 * nothing to store.
 */
export function evaluateEvent(rule: RuleDefinition, event: RuleEvent, options: EvaluateEventOptions): EvaluatedObservation[] {
  return observe(rule, event, options.context).map((observation) => {
    const previous = options.stateOf(observation.fingerprint);
    const result = step(rule, previous, observation, options.nowMs ?? observation.atMs);
    const evaluated: EvaluatedObservation = { observation, previous, state: result.state };
    if (result.expired) evaluated.expired = result.expired;
    if (result.transition) evaluated.transition = result.transition;
    return evaluated;
  });
}
