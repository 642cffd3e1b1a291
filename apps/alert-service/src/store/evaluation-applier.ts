import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alerts';
import type { RuleState, S2Occurrence } from '../rules';
import { dueMember } from './alert-keys';
import { markSilenced, notificationFor, stageAlertChange, toCommitted, type CommittedChange, type StagedChange } from './alert-change-writer';
import { changeForTransition, type RuleTransition } from './alert-from-transition';
import { EscalationPlanner, reachesS2 } from './escalation-planner';
import type { RuleStateRef } from './rule-state-repository';
import type { SilenceRepository } from './silence-repository';
import type { StoreContext } from './store-context';

/** A rule state to store, guarded by the version it was read at. */
export interface RuleStateWrite extends RuleStateRef {
  /** The version read (0 when none was stored): the write fails with a conflict if it changed. */
  expectedVersion: number;
  /** The new state. */
  state: RuleState;
  /**
   * When the ticker must look at it again, wall-clock ms (`undefined`: never): `tickDueAtMs(rule,
   * state)`, an event time, plus `frameOffsetMs`.
   */
  dueAtMs?: number;
  /**
   * How far the state's event time lags the wall clock (wall clock − event time of the
   * observation written, at least 0; a tick keeps the one it read). Stored with the state, so
   * its due times can be recomputed in the same frame (rules README: time-driven transitions).
   */
  frameOffsetMs?: number;
}

/** Everything one consumed event (or one tick) changes. */
export interface EvaluationInput {
  /** Id of the consumed event: committed once only (absent for ticks). */
  eventId?: string;
  /** Rule states to write (compare-and-set on their versions). */
  states: readonly RuleStateWrite[];
  /** Transitions of the rule engine, in order. */
  transitions: readonly RuleTransition[];
}

/** Outcome of `applyEvaluation`. */
export type EvaluationResult =
  /** Everything was written: the alert changes, each with its stream id and notification decision. */
  | { status: 'committed'; changes: CommittedChange[] }
  /** The event's marker exists: it was committed before, nothing was written. */
  | { status: 'duplicate'; changes: [] }
  /** A state or alert changed since it was read, nothing was written: re-read, re-evaluate, retry. */
  | { status: 'conflict'; changes: []; key: string };

/** Commits evaluations: rule states, alert changes, escalations, marker, in one script. */
export class EvaluationApplier {
  private readonly escalations: EscalationPlanner;

  /**
   * @param ctx the store's shared context
   * @param silences where active silences come from
   */
  constructor(
    private readonly ctx: StoreContext,
    private readonly silences: SilenceRepository,
  ) {
    this.escalations = new EscalationPlanner(ctx);
  }

  /** See `AlertStore.applyEvaluation`. */
  async apply(input: EvaluationInput): Promise<EvaluationResult> {
    const { keys, options } = this.ctx;
    const plan = this.ctx.newPlan();
    if (input.eventId !== undefined) plan.idempotent(keys.processed(input.eventId), options.idempotencyTtlSeconds);
    for (const write of input.states) {
      const key = keys.ruleState(write.ruleId, write.fingerprint);
      plan.expectHashVersion(key, write.expectedVersion);
      plan.write('HSET', key, 's', JSON.stringify(write.state), 'v', write.expectedVersion + 1, 'o', write.frameOffsetMs ?? 0);
      const member = dueMember(write.ruleId, write.fingerprint);
      if (write.dueAtMs === undefined) plan.write('ZREM', keys.due, member);
      else plan.write('ZADD', keys.due, write.dueAtMs, member);
    }
    const staged: StagedChange[] = [];
    if (input.transitions.length > 0) await this.stageTransitions(plan, input.transitions, staged);
    const outcome = await plan.run(this.ctx.redis);
    if (outcome.status === 'duplicate') return { status: 'duplicate', changes: [] };
    if (outcome.status === 'conflict') {
      this.ctx.metrics.conflict('evaluation');
      return { status: 'conflict', changes: [], key: outcome.key };
    }
    return { status: 'committed', changes: toCommitted(this.ctx, staged, outcome.events) };
  }

  private async stageTransitions(plan: ReturnType<StoreContext['newPlan']>, transitions: readonly RuleTransition[], staged: StagedChange[]): Promise<void> {
    const silences = await this.silences.current();
    const fingerprints = [...new Set(transitions.map((entry) => entry.transition.fingerprint))];
    const open = new Map<string, { record?: AlertRecord; mappedId?: string }>();
    await Promise.all(fingerprints.map(async (fp) => open.set(fp, await this.escalations.readOpen(fp))));
    const occurrences: S2Occurrence[] = [];
    const resolved: AlertRecord[] = [];
    const nowMs = this.ctx.options.clock();
    for (const entry of transitions) {
      const fp = entry.transition.fingerprint;
      const current = open.get(fp) ?? {};
      const change = changeForTransition(entry, current.record, randomUUID());
      if (!change) continue;
      const alert = markSilenced(change.alert, silences, nowMs);
      const staging: StagedChange = { type: change.type, alert, actor: `rule:${entry.transition.ruleId}`, at: entry.transition.atMs };
      stageAlertChange(this.ctx, plan, current.record, staging, notificationFor(this.ctx, alert, true, nowMs), current.mappedId);
      staged.push(staging);
      // After a resolve the mapping is still checked as read (the script checks before it writes): a
      // raise of the same fingerprint in this plan (a keep-firing expiry, then a new breach) expects that.
      open.set(fp, alert.status === 'resolved' ? { mappedId: current.mappedId } : { record: alert, mappedId: alert.id });
      if (reachesS2(current.record, alert)) occurrences.push({ alertId: alert.id, kind: alert.type, atMs: staging.at });
      if (alert.status === 'resolved') resolved.push(alert);
    }
    if (occurrences.length > 0) await this.escalations.stageOccurrences(plan, occurrences, silences, staged);
    if (resolved.length > 0) await this.escalations.stageAutoResolve(plan, resolved, silences, staged);
  }
}
