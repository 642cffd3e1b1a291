import type { RenderedAnnotations } from './annotation-template';
import type { RuleAction } from './rule-definition';
import type { Severity } from './severity';

/**
 * Where one alert identity (rule, fingerprint) stands:
 * - `inactive`: nothing to report;
 * - `pending`: the condition holds but not yet for `pendingSeconds`;
 * - `firing`: an alert is open;
 * - `cooldown`: resolved less than `cooldownSeconds` ago; conditions do not raise.
 */
export type RulePhase = 'inactive' | 'pending' | 'firing' | 'cooldown';

/**
 * The state of one (rule, fingerprint), plain JSON so the store can keep it in Redis.
 * Times are ms since the epoch. Absent fields are omitted, never `null`.
 */
export interface RuleState {
  /** The current phase. */
  phase: RulePhase;
  /** When the current phase began (pending start, raise time, resolution time). */
  since?: number;
  /** Severity of the open alert (phase `firing`). */
  severity?: Severity;
  /** Severity the condition has while `pending` (the one a raise would use now). */
  pendingSeverity?: Severity;
  /** Keep-firing timer: when a firing alert's value first passed the recovery level. */
  clearedAtMs?: number;
  /** Value of the last accepted observation. */
  lastValue?: number;
  /** Event time of the last accepted observation; older observations are ignored. */
  lastEventAtMs?: number;
  /** When the alert last resolved (cooldown start). */
  resolvedAtMs?: number;
  /** A `once_per` rule's cooldown: when the alert it resolved was raised (nothing raises before this plus the period). */
  raisedAtMs?: number;
  /** Labels of the last observation, so a time-driven resolve can describe the alert. */
  labels?: Record<string, string>;
  /** Fingerprint of the last observation. */
  fingerprint?: string;
  /** Template details of the last observation (price, weight, status...). */
  details?: Record<string, string | number>;
}

/** What changed for people: an alert opened, changed severity, or closed. */
export interface Transition {
  /** `raise` opens an alert, `update` changes its severity, `resolve` closes it. */
  kind: 'raise' | 'update' | 'resolve';
  /** The rule's id. */
  ruleId: string;
  /** Severity after the change (for `resolve`: the severity the alert had). */
  severity: Severity;
  /** Severity before an `update` (escalation when lower, de-escalation when higher). */
  previousSeverity?: Severity;
  /** The value that caused the transition (for a time-driven resolve: the last value). */
  value: number;
  /** The threshold of `severity`. */
  threshold: number;
  /** The alert's labels. */
  labels: Record<string, string>;
  /** The alert's dedup fingerprint. */
  fingerprint: string;
  /** The rule's suggested action for `severity` (`raise` and `update` only). */
  action?: RuleAction;
  /** The rule's annotations rendered for this transition. */
  annotations: RenderedAnnotations;
  /** When it happened (the `nowMs` given). */
  atMs: number;
}

/** A new state, and the transitions to publish when there are some. */
export interface StepResult {
  /** The state to store (the same object as given when nothing changed). */
  state: RuleState;
  /**
   * `step` only: the keep-firing expiry that came due before the observation, a `resolve` at
   * its due time, as a tick at that time would have made it. Publish it before `transition`.
   */
  expired?: Transition;
  /** What to publish: absent when nothing visible changed. */
  transition?: Transition;
}
