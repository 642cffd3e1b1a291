import { createEvent, encodeEvent } from '@rebal/redis-client';
import type { AlertChange, AlertRecord } from '../alerts';
import { rateLimitKeys } from '../rules';
import type { AlertCommitPlan, PlanDecision, PlanNotification } from './alert-commit-plan';
import { countField, indexKeysOf, indexMember } from './alert-index';
import { silenceMatches, type Silence } from './silence';
import type { StoreContext } from './store-context';

/** Why a change was stored but not notified. */
export type SuppressionReason = 'silence' | 'snooze' | 'rate_limit' | 'budget';

/**
 * A change as committed: the `AlertChange` with its stream id, whether it is to be notified
 * and, if not while it could have been, why.
 */
export interface CommittedChange extends AlertChange {
  /** Id of the `alerts` stream entry. */
  streamId: string;
  /** True: notification targets should hear about it (the rate limit already counted it). */
  notify: boolean;
  /** Why a notifiable change is not notified: a silence matched, the alert is snoozed, the rate limit or the daily budget. */
  suppressedBy?: SuppressionReason;
}

/** A change staged in a plan, waiting for its stream id and decision. */
export type StagedChange = AlertChange;

/** Sets or clears `silenced` on a record: does an active silence match its labels at `nowMs`? */
export function markSilenced(alert: AlertRecord, silences: readonly Silence[], nowMs: number): AlertRecord {
  const silenced = silences.some((silence) => silence.startsAt <= nowMs && nowMs < silence.endsAt && silenceMatches(silence, alert.labels));
  const next = { ...alert };
  if (silenced) next.silenced = true;
  else delete next.silenced;
  return next;
}

/**
 * The notification mode of a change: `notifiable` says whether such a change tells people
 * at all (raises, escalations, severity updates, automatic resolutions, snooze expiry; not
 * their own acks, snoozes and resolutions). A silenced or snoozed alert is suppressed;
 * otherwise the script's rate limit decides.
 */
export function notificationFor(ctx: StoreContext, alert: AlertRecord, notifiable: boolean, nowMs: number): PlanNotification {
  if (!notifiable) return { kind: 'none' };
  if (alert.silenced) return { kind: 'suppressed', reason: 'silence' };
  if (alert.status === 'snoozed') return { kind: 'suppressed', reason: 'snooze' };
  const budget = ctx.options.rateLimitPolicy[alert.severity];
  const keys = rateLimitKeys(alert.severity, nowMs, { scope: ctx.options.rateLimitScope, alertsStreamKey: ctx.keys.stream });
  return {
    kind: 'rate_limit',
    bucketKey: keys.bucketKey,
    dayKey: keys.dayKey,
    dayKeyTtlSeconds: keys.dayKeyTtlSeconds,
    perMinute: budget.perMinute,
    burst: budget.burst ?? budget.perMinute,
    perDay: budget.perDay,
    nowMs,
  };
}

/**
 * Stages one alert change in `plan`: the compare-and-set of what was read (`before`'s
 * version; for a new alert, the fingerprint mapping as read: absent, or `staleFingerprintId`
 * when it still names a resolved alert), the record, the fingerprint
 * mapping, index and counter moves, the resolved/snoozed zsets, and the stream event with
 * its history entry.
 */
export function stageAlertChange(
  ctx: StoreContext,
  plan: AlertCommitPlan,
  before: AlertRecord | undefined,
  change: StagedChange,
  notification: PlanNotification,
  staleFingerprintId?: string,
): void {
  const { keys } = ctx;
  const after = change.alert;
  const member = indexMember(after);
  if (before) plan.expectRecordVersion(keys.alert(before.id), before.version);
  else plan.expectValue(keys.fingerprint(after.fingerprint), staleFingerprintId);

  plan.write('SET', keys.alert(after.id), JSON.stringify(after));
  const open = after.status !== 'resolved';
  if (!before && open) plan.write('SET', keys.fingerprint(after.fingerprint), after.id);
  if (before && before.status !== 'resolved' && !open) plan.write('DEL', keys.fingerprint(after.fingerprint));

  if (!before) {
    for (const key of indexKeysOf(keys, after)) plan.write('ZADD', key, 0, member);
    plan.write('HINCRBY', keys.counts, countField(after), 1);
  } else {
    if (before.status !== after.status) {
      plan.write('ZREM', keys.indexStatus(before.status), member).write('ZADD', keys.indexStatus(after.status), 0, member);
    }
    if (before.severity !== after.severity) {
      plan.write('ZREM', keys.indexSeverity(before.severity), member).write('ZADD', keys.indexSeverity(after.severity), 0, member);
    }
    if (countField(before) !== countField(after)) {
      plan.write('HINCRBY', keys.counts, countField(before), -1).write('HINCRBY', keys.counts, countField(after), 1);
    }
  }
  if (after.status === 'resolved') plan.write('ZADD', keys.resolved, after.endsAt ?? change.at, after.id);
  if (after.status === 'snoozed') plan.write('ZADD', keys.snoozed, after.snoozedUntil ?? change.at, after.id);
  else if (before?.status === 'snoozed') plan.write('ZREM', keys.snoozed, after.id);

  const event = createEvent({
    id: `${after.id}:${after.version}`,
    type: change.type,
    source: ctx.options.source,
    subject: after.id,
    time: new Date(change.at).toISOString(),
    data: { alert: after, actor: change.actor },
  });
  const changeJson = JSON.stringify({ type: change.type, alert: after, actor: change.actor, at: change.at });
  plan.event(keys.stream, encodeEvent(event), keys.history(after.id), changeJson, notification);
}

/** Joins staged changes with the script's stream ids and decisions, and counts them. */
export function toCommitted(
  ctx: StoreContext,
  staged: readonly StagedChange[],
  events: ReadonlyArray<{ streamId: string; decision: PlanDecision }>,
): CommittedChange[] {
  return staged.map((change, index) => {
    const { streamId, decision } = events[index] as { streamId: string; decision: PlanDecision };
    const committed: CommittedChange = { ...change, streamId, notify: decision === 'notify' };
    if (decision !== 'notify' && decision !== 'none') {
      committed.suppressedBy = decision;
      ctx.metrics.suppressed(decision);
    }
    ctx.metrics.changed(change.type);
    return committed;
  });
}
