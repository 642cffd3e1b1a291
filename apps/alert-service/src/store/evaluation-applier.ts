import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alerts';
import type { S2Occurrence } from '../rules';
import { markSilenced, notificationFor, stageAlertChange, toCommitted, type CommittedChange, type StagedChange } from './alert-change-writer';
import { changeForTransition, type RuleTransition } from './alert-from-transition';
import { EscalationPlanner, reachesS2 } from './escalation-planner';
import { CHANGE_LOG_LENGTH, type RuleDisabled } from './rule-repository';
import type { SilenceRepository } from './silence-repository';
import type { StoreContext } from './store-context';

/** A rule state the engine writes: a field of its partition's states hash (`value` undefined: deleted). */
export interface RuleStateWrite {
  /** The partition of the state. */
  partition: number;
  /** `<ruleId>|<fingerprint>`. */
  field: string;
  /** The stored form (JSON), or `undefined` to delete it. */
  value: string | undefined;
}

/** The lease a commit of the rule engine rests on. */
export interface PartitionFence {
  /** The partition. */
  partition: number;
  /** `<owner>|<epoch>`, the value of the partition's lease key while this replica holds it. */
  lease: string;
}

/** Everything one consumed event (or one tick) changes. */
export interface EvaluationInput {
  /** Nothing is written unless the partition is still leased as this says (absent: no fencing, e.g. tests of the store alone). */
  fence?: PartitionFence;
  /** Rule states to write. */
  states: readonly RuleStateWrite[];
  /** Transitions of the rule engine, in order. */
  transitions: readonly RuleTransition[];
  /**
   * Rules that disable themselves with this commit (a `once` rule whose raise it is): the reason
   * is written (`rules:disabled`, with the alert raised), the rules version bumped and the
   * change logged, so every replica and the API see `enabled: false`.
   */
  disable?: ReadonlyArray<{ ruleId: string; reason: RuleDisabled['reason']; atMs: number }>;
  /** Feed statuses the event changed (`{alerts}:feeds` field → JSON), written with the feed's alert. */
  feeds?: ReadonlyArray<{ feed: string; value: string }>;
}

/** Outcome of `applyEvaluation`. */
export type EvaluationResult =
  /** Everything was written: the alert changes, each with its stream id and notification decision. */
  | { status: 'committed'; changes: CommittedChange[] }
  /** The partition's lease moved on (another replica took it over): nothing was written, and nothing may be. */
  | { status: 'fenced'; changes: [] }
  /** An alert changed since it was read, nothing was written: plan again and retry. */
  | { status: 'conflict'; changes: []; key: string };

/** Commits evaluations: rule states, alert changes, escalations, in one script fenced by the partition's lease. */
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
    const { keys } = this.ctx;
    const plan = this.ctx.newPlan();
    const fenceKey = input.fence ? keys.lease(input.fence.partition) : undefined;
    if (input.fence && fenceKey) plan.expectValue(fenceKey, input.fence.lease);
    for (const write of input.states) {
      const key = keys.partitionStates(write.partition);
      if (write.value === undefined) plan.write('HDEL', key, write.field);
      else plan.write('HSET', key, write.field, write.value);
    }
    for (const { feed, value } of input.feeds ?? []) plan.write('HSET', keys.feeds, feed, value);
    const staged: StagedChange[] = [];
    if (input.transitions.length > 0) await this.stageTransitions(plan, input.transitions, staged);
    for (const { ruleId, reason, atMs } of input.disable ?? []) {
      const raised = [...staged].reverse().find((change) => change.actor === `rule:${ruleId}` && change.alert.ruleId === ruleId);
      const disabled: RuleDisabled = { reason, at: atMs, ...(raised ? { alertId: raised.alert.id } : {}) };
      plan
        .write('HSET', keys.rulesDisabled, ruleId, JSON.stringify(disabled))
        .write('INCR', keys.rulesVersion)
        .write('XADD', keys.rulesChanges, 'MAXLEN', '~', CHANGE_LOG_LENGTH, '*', 'rule', ruleId, 'reason', reason);
    }
    if (plan.isEmpty) return { status: 'committed', changes: [] };
    const outcome = await plan.run(this.ctx.redis);
    if (outcome.status === 'conflict') {
      if (outcome.key === fenceKey) return { status: 'fenced', changes: [] };
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
