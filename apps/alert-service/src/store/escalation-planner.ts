import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alerts';
import { alertFingerprint, findEscalations, type S2Occurrence } from '../rules';
import type { AlertCommitPlan } from './alert-commit-plan';
import { changeForEscalation, ESCALATION_RULE_ID } from './alert-from-transition';
import { markSilenced, notificationFor, stageAlertChange, type StagedChange } from './alert-change-writer';
import type { Silence } from './silence';
import type { StoreContext } from './store-context';

/** Whether a change brings an alert to S2: raised at S2, or updated up from S1 (rules README). */
export function reachesS2(before: AlertRecord | undefined, after: AlertRecord): boolean {
  if (after.ruleId === ESCALATION_RULE_ID || after.severity !== 'S2' || after.status === 'resolved') return false;
  return before === undefined || before.severity === 'S1';
}

/** Fingerprint of the escalation alert of a rule kind (`findEscalations` labels). */
export function escalationFingerprint(kind: string): string {
  return alertFingerprint({ rule: ESCALATION_RULE_ID, kind, escalation: 'S2_burst' });
}

/**
 * Escalation in the store: records S2 occurrences per kind (`{alerts}:s2:<kind>`, guarded by
 * a version counter so two replicas committing one S2 alert each cannot both miss the
 * burst), asks `findEscalations` whether a kind has a burst, and stages the S3 escalation
 * alert (`alert.escalated`; one per kind while open, later bursts update it). An escalation
 * alert resolves by itself (actor `system`) once every alert it counted has resolved.
 */
export class EscalationPlanner {
  /** @param ctx the store's shared context */
  constructor(private readonly ctx: StoreContext) {}

  /** Stages the S2 occurrences and any escalation they cause; appends staged changes to `staged`. */
  async stageOccurrences(plan: AlertCommitPlan, occurrences: readonly S2Occurrence[], silences: readonly Silence[], staged: StagedChange[]): Promise<void> {
    const { keys, options } = this.ctx;
    const kinds = [...new Set(occurrences.map((occurrence) => occurrence.kind))].sort();
    for (const kind of kinds) {
      const mine = occurrences.filter((occurrence) => occurrence.kind === kind);
      const nowMs = Math.max(...mine.map((occurrence) => occurrence.atMs));
      const since = nowMs - options.escalationWindowMs;
      const [stored, version] = await Promise.all([
        this.ctx.redis.zrangebyscore(keys.s2(kind), since, '+inf', 'WITHSCORES'),
        this.ctx.redis.get(keys.s2Version(kind)),
      ]);
      plan.expectValue(keys.s2Version(kind), version ?? undefined);
      for (const occurrence of mine) plan.write('ZADD', keys.s2(kind), occurrence.atMs, occurrence.alertId);
      plan.write('ZREMRANGEBYSCORE', keys.s2(kind), '-inf', `(${since}`).write('INCR', keys.s2Version(kind));
      const known: S2Occurrence[] = [];
      for (let i = 0; i + 1 < stored.length; i += 2) known.push({ alertId: stored[i] as string, kind, atMs: Number(stored[i + 1]) });
      const escalations = findEscalations([...known, ...mine], nowMs, {
        windowMs: options.escalationWindowMs,
        minAlerts: options.escalationMinAlerts,
      }).filter((escalation) => escalation.kind === kind);
      for (const escalation of escalations) {
        const { record: open, mappedId } = await this.readOpen(escalation.fingerprint);
        const change = changeForEscalation(escalation, open, randomUUID(), options.escalationWindowMs, nowMs);
        if (!change) continue;
        const alert = markSilenced(change.alert, silences, options.clock());
        const entry: StagedChange = { type: change.type, alert, actor: 'system', at: nowMs };
        const notifiable = change.type === 'alert.escalated';
        stageAlertChange(this.ctx, plan, open, entry, notificationFor(this.ctx, alert, notifiable, options.clock()), mappedId);
        staged.push(entry);
      }
    }
  }

  /**
   * For alerts resolved in this plan: resolves the open escalation of their kind when every
   * alert it counted is now resolved (or purged). `resolvedIds` are the alerts this plan resolves.
   */
  async stageAutoResolve(plan: AlertCommitPlan, resolved: readonly AlertRecord[], silences: readonly Silence[], staged: StagedChange[]): Promise<void> {
    const resolvedIds = new Set(resolved.map((alert) => alert.id));
    const kinds = [...new Set(resolved.filter((alert) => alert.ruleId !== ESCALATION_RULE_ID).map((alert) => alert.type))];
    for (const kind of kinds) {
      const { record: open } = await this.readOpen(escalationFingerprint(kind));
      if (!open || resolvedIds.has(open.id)) continue;
      const sources = open.escalation?.sourceAlertIds ?? [];
      if (!sources.some((id) => resolvedIds.has(id))) continue;
      const others = sources.filter((id) => !resolvedIds.has(id));
      const records = await this.ctx.readAlerts(others);
      if (records.some((record) => record !== undefined && record.status !== 'resolved')) continue;
      records.forEach((record, index) => {
        // Another source reopening meanwhile is impossible (resolved is final), but a purge is
        // not: pin what was read.
        plan.expectRecordVersion(this.ctx.keys.alert(others[index] as string), record?.version ?? 0);
      });
      const at = Math.max(...resolved.map((alert) => alert.endsAt ?? alert.updatedAt));
      const next: AlertRecord = { ...open, status: 'resolved', endsAt: at, updatedAt: at, resolvedBy: 'system', version: open.version + 1 };
      delete next.snoozedUntil;
      delete next.snoozedBy;
      const alert = markSilenced(next, silences, this.ctx.options.clock());
      const entry: StagedChange = { type: 'alert.resolved', alert, actor: 'system', at };
      stageAlertChange(this.ctx, plan, open, entry, notificationFor(this.ctx, alert, true, this.ctx.options.clock()));
      staged.push(entry);
    }
  }

  /** The open alert of a fingerprint, and the id the mapping holds (even when stale). */
  async readOpen(fingerprint: string): Promise<{ record?: AlertRecord; mappedId?: string }> {
    const id = await this.ctx.redis.get(this.ctx.keys.fingerprint(fingerprint));
    if (!id) return {};
    const [record] = await this.ctx.readAlerts([id]);
    return record && record.status !== 'resolved' ? { record, mappedId: id } : { mappedId: id };
  }
}
