import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alerts';
import { alertFingerprint, escalationOf, findEventTimeEscalations, type S2Occurrence } from '../rules';
import type { AlertCommitPlan } from './alert-commit-plan';
import { changeForEscalation, ESCALATION_RULE_ID } from './alert-from-transition';
import { markSilenced, notificationFor, stageAlertChange, type StagedChange } from './alert-change-writer';
import type { Silence } from './silence';
import type { StoreContext } from './store-context';

/**
 * Whether an alert is an escalation. Its `escalation` field (the alerts it counts) says so,
 * never its rule id: a rule may be called `escalation`, and its alerts escalate like any other.
 */
export function isEscalation(alert: AlertRecord): boolean {
  return alert.escalation !== undefined;
}

/** Whether a change brings an alert to S2: raised at S2, or updated up from S1 (rules README). */
export function reachesS2(before: AlertRecord | undefined, after: AlertRecord): boolean {
  if (isEscalation(after) || after.severity !== 'S2' || after.status === 'resolved') return false;
  return before === undefined || before.severity === 'S1';
}

/** Fingerprint of the escalation alert of a rule kind (`findEscalations` labels). */
export function escalationFingerprint(kind: string): string {
  return alertFingerprint({ rule: ESCALATION_RULE_ID, kind, escalation: 'S2_burst' });
}

/** The record of alert `id` as the plan leaves it so far (the last change staged), if the plan changes it. */
function stagedRecord(staged: readonly StagedChange[], id: string): AlertRecord | undefined {
  for (let i = staged.length - 1; i >= 0; i -= 1) {
    const change = staged[i] as StagedChange;
    if (change.alert.id === id) return change.alert;
  }
  return undefined;
}

/**
 * Escalation in the store. Every decision rests on what the plan pins, so a commit planned on
 * a read that another commit changed conflicts and is planned again:
 * - S2 occurrences per kind (`{alerts}:s2:<kind>`, a zset of alert id by event time) are read
 *   with their version counter in one snapshot, and the version is compare-and-set.
 * - The burst is decided in event-time order (`findEventTimeEscalations`), whatever order
 *   the commits run in; an open escalation takes every S2 alert of its kind that reaches S2
 *   at or after its start (`alert.updated`), a new one is raised as `alert.escalated`.
 * - An escalation resolves by itself (actor `system`) once every alert it counts has
 *   resolved. A commit that resolves a source but finds another open pins that one, so two
 *   commits resolving the last two sources cannot both miss it.
 * - What this plan already staged (an escalation updated, a source raised or resolved) wins
 *   over what is stored.
 */
export class EscalationPlanner {
  /** @param ctx the store's shared context */
  constructor(private readonly ctx: StoreContext) {}

  /** Stages the S2 occurrences and any escalation they cause; appends staged changes to `staged`. */
  async stageOccurrences(plan: AlertCommitPlan, occurrences: readonly S2Occurrence[], silences: readonly Silence[], staged: StagedChange[]): Promise<void> {
    const { keys, options } = this.ctx;
    const windowMs = options.escalationWindowMs;
    const kinds = [...new Set(occurrences.map((occurrence) => occurrence.kind))].sort();
    for (const kind of kinds) {
      const mine = occurrences.filter((occurrence) => occurrence.kind === kind);
      const known = await this.readOccurrences(plan, kind, Math.min(...mine.map((occurrence) => occurrence.atMs)) - windowMs);
      const all = [...known, ...mine];
      // GT keeps each alert's latest time whatever order the commits run in.
      for (const occurrence of mine) plan.write('ZADD', keys.s2(kind), 'GT', occurrence.atMs, occurrence.alertId);
      // Two windows behind the newest occurrence: one committed up to a window late still
      // meets every occurrence it shares a window with.
      const newest = Math.max(...all.map((occurrence) => occurrence.atMs));
      plan.write('ZREMRANGEBYSCORE', keys.s2(kind), '-inf', `(${newest - 2 * windowMs}`).write('INCR', keys.s2Version(kind));

      const { record: open, mappedId } = await this.openEscalation(kind, staged);
      const [burst] = findEventTimeEscalations(known, mine, { windowMs, minAlerts: options.escalationMinAlerts });
      if (!open && !burst) continue;
      const startsAt = open ? open.startsAt : (burst?.atMs as number);
      const ids = new Set(burst?.escalation.alertIds ?? []);
      for (const occurrence of all) if (occurrence.atMs >= startsAt) ids.add(occurrence.alertId);
      const times = new Map<string, number>();
      for (const { alertId, atMs } of all) if (ids.has(alertId)) times.set(alertId, Math.min(times.get(alertId) ?? atMs, atMs));
      const at = open ? Math.max(open.updatedAt, ...mine.map((occurrence) => occurrence.atMs)) : startsAt;
      const change = changeForEscalation(escalationOf(kind, times), open, randomUUID(), windowMs, at);
      if (!change) continue;
      const alert = markSilenced(change.alert, silences, options.clock());
      const entry: StagedChange = { type: change.type, alert, actor: 'system', at };
      const notifiable = change.type === 'alert.escalated';
      stageAlertChange(this.ctx, plan, open, entry, notificationFor(this.ctx, alert, notifiable, options.clock()), mappedId);
      staged.push(entry);
    }
  }

  /**
   * For alerts resolved in this plan: resolves the open escalation of their kind when every
   * alert it counts is resolved (or purged), as this plan leaves them.
   * @param resolved the alerts this plan resolves
   */
  async stageAutoResolve(plan: AlertCommitPlan, resolved: readonly AlertRecord[], silences: readonly Silence[], staged: StagedChange[]): Promise<void> {
    const resolvedIds = new Set(resolved.map((alert) => alert.id));
    const kinds = [...new Set(resolved.filter((alert) => !isEscalation(alert)).map((alert) => alert.type))];
    for (const kind of kinds) {
      const fingerprint = escalationFingerprint(kind);
      // Raised by this plan: the alerts it counts reached S2 in this very plan.
      if (staged.some((change) => change.type === 'alert.escalated' && change.alert.fingerprint === fingerprint)) continue;
      const { record: open } = await this.openEscalation(kind, staged);
      if (!open || resolvedIds.has(open.id)) continue;
      const sources = open.escalation?.sourceAlertIds ?? [];
      if (!sources.some((id) => resolvedIds.has(id))) continue;
      const others = sources.filter((id) => !resolvedIds.has(id));
      const unstaged = others.filter((id) => stagedRecord(staged, id) === undefined);
      const stored = await this.ctx.readAlerts(unstaged);
      const pin = (id: string) => plan.expectRecordVersion(this.ctx.keys.alert(id), stored[unstaged.indexOf(id)]?.version ?? 0);
      const stillOpen = others.find((id) => {
        const record = stagedRecord(staged, id) ?? stored[unstaged.indexOf(id)];
        return record !== undefined && record.status !== 'resolved';
      });
      if (stillOpen !== undefined) {
        // Pin the source seen open (one is enough: resolved is final, so the commit that
        // resolves the last open source either sees this one resolved or conflicts with it).
        // Without the pin, two commits resolving the last two sources each saw the other open.
        if (unstaged.includes(stillOpen)) pin(stillOpen);
        continue;
      }
      // Resolved is final, but a purge is not: pin what was read.
      unstaged.forEach(pin);
      const ends = resolved.filter((alert) => sources.includes(alert.id)).map((alert) => alert.endsAt ?? alert.updatedAt);
      const at = Math.max(open.updatedAt, ...ends);
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

  /** The open escalation of `kind` as this plan leaves it so far: staged in it, else stored. */
  private async openEscalation(kind: string, staged: readonly StagedChange[]): Promise<{ record?: AlertRecord; mappedId?: string }> {
    const fingerprint = escalationFingerprint(kind);
    for (let i = staged.length - 1; i >= 0; i -= 1) {
      const { alert } = staged[i] as StagedChange;
      if (alert.fingerprint === fingerprint && isEscalation(alert)) return alert.status === 'resolved' ? { mappedId: alert.id } : { record: alert, mappedId: alert.id };
    }
    return this.readOpen(fingerprint);
  }

  /**
   * The S2 occurrences of `kind` from `fromMs` on, read in one snapshot with their version,
   * which the plan pins: a version read apart from them could be newer than what was read,
   * and the compare-and-set would then pass on a stale decision.
   */
  private async readOccurrences(plan: AlertCommitPlan, kind: string, fromMs: number): Promise<S2Occurrence[]> {
    const { keys } = this.ctx;
    const replies = (await this.ctx.redis.multi().get(keys.s2Version(kind)).zrangebyscore(keys.s2(kind), fromMs, '+inf', 'WITHSCORES').exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const version = replies[0]?.[1] as string | null;
    const stored = (replies[1]?.[1] ?? []) as string[];
    plan.expectValue(keys.s2Version(kind), version ?? undefined);
    const known: S2Occurrence[] = [];
    for (let i = 0; i + 1 < stored.length; i += 2) known.push({ alertId: stored[i] as string, kind, atMs: Number(stored[i + 1]) });
    return known;
  }
}
