import type { AlertEventType } from '../alerts';
import { markSilenced, notificationFor, stageAlertChange, toCommitted, type CommittedChange, type StagedChange } from './alert-change-writer';
import { applyAction, type AlertAction } from './alert-status-transitions';
import { AlertConflictError, AlertNotFoundError, AlertStoreInputError } from './alert-store-errors';
import { EscalationPlanner } from './escalation-planner';
import type { PartitionFence } from './evaluation-applier';
import type { SilenceRepository } from './silence-repository';
import type { StoreContext } from './store-context';

/** Shortest and longest snooze, in minutes. */
export const SNOOZE_MINUTES = { min: 5, max: 1440 } as const;

const EVENT_TYPE: Record<AlertAction, AlertEventType> = {
  acknowledge: 'alert.acknowledged',
  snooze: 'alert.snoozed',
  unsnooze: 'alert.updated',
  resolve: 'alert.resolved',
};

/** Options of one action. */
export interface ActOptions {
  /** Snooze length in minutes, 5..1440 (`snooze` only). */
  minutes?: number;
  /** `unsnooze` only when the snooze has run out (the expiry path): otherwise do nothing and return `undefined`. */
  onlyIfExpired?: boolean;
  /** Only while the alert is open: a resolved one is left alone and `undefined` returned. */
  onlyIfOpen?: boolean;
  /**
   * Also drop the rule state of this rule id and the alert's fingerprint from its partition,
   * fenced by the partition's lease (the engine replica holding the state makes this change).
   */
  dropRuleState?: { ruleId: string; fence: PartitionFence };
}

/**
 * The API's alert actions, each one compare-and-set commit with its stream event, retried
 * when a concurrent writer (the rule engine, another request) changed the alert meanwhile.
 */
export class AlertActions {
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

  /**
   * Applies `action` to alert `id` as `actor`. Returns the change (plus, for a resolve that
   * ends an escalation, the escalation's change after it), or `undefined` for an
   * `onlyIfExpired` unsnooze, an `onlyIfOpen` action that found nothing to do, or a
   * `dropRuleState` whose partition lease moved on (nothing written). A resolve is
   * notified unless a person (`user:<sub>`) made it.
   * @throws AlertNotFoundError, AlertTransitionError, AlertStoreInputError, AlertConflictError
   */
  async act(id: string, action: AlertAction, actor: string, options: ActOptions = {}): Promise<CommittedChange[] | undefined> {
    checkActor(actor);
    if (action === 'snooze') checkMinutes(options.minutes);
    for (let attempt = 1; attempt <= this.ctx.options.maxAttempts; attempt += 1) {
      const [record] = await this.ctx.readAlerts([id]);
      if (!record) throw new AlertNotFoundError(id);
      const nowMs = this.ctx.options.clock();
      if (options.onlyIfExpired && (record.status !== 'snoozed' || (record.snoozedUntil ?? 0) > nowMs)) return undefined;
      if (options.onlyIfOpen && record.status === 'resolved') return undefined;
      const silences = await this.silences.current();
      const alert = markSilenced(applyAction(record, action, { actor, nowMs, minutes: options.minutes }), silences, nowMs);
      const change: StagedChange = { type: EVENT_TYPE[action], alert, actor, at: nowMs };
      const plan = this.ctx.newPlan();
      // People are not told of their own actions; an automatic resolution (a rule's or the system's) and an unsnooze are notified.
      const notifiable = action === 'unsnooze' || (action === 'resolve' && !actor.startsWith('user:'));
      stageAlertChange(this.ctx, plan, record, change, notificationFor(this.ctx, alert, notifiable, nowMs));
      const drop = options.dropRuleState;
      if (drop) {
        plan.expectValue(this.ctx.keys.lease(drop.fence.partition), drop.fence.lease);
        plan.write('HDEL', this.ctx.keys.partitionStates(drop.fence.partition), `${drop.ruleId}|${record.fingerprint}`);
      }
      const staged = [change];
      if (action === 'resolve') await this.escalations.stageAutoResolve(plan, [alert], silences, staged);
      const outcome = await plan.run(this.ctx.redis);
      if (outcome.status === 'ok') {
        this.ctx.logger.info({ alertId: id, action, actor, version: alert.version }, 'alert changed');
        return toCommitted(this.ctx, staged, outcome.events);
      }
      // The partition moved to another replica: the change is that replica's to make now.
      if (drop && outcome.key === this.ctx.keys.lease(drop.fence.partition)) return undefined;
      this.ctx.metrics.conflict(action);
    }
    throw new AlertConflictError(`${action} alert ${id}`);
  }

  /** Unsnoozes every alert whose snooze ran out by `nowMs` (up to `limit`); returns the changes. */
  async expireSnoozes(nowMs: number, limit = 100): Promise<CommittedChange[]> {
    const ids = await this.ctx.redis.zrangebyscore(this.ctx.keys.snoozed, '-inf', nowMs, 'LIMIT', 0, limit);
    const changes: CommittedChange[] = [];
    for (const id of ids) {
      try {
        changes.push(...((await this.act(id, 'unsnooze', 'system', { onlyIfExpired: true })) ?? []));
      } catch (error) {
        if (!(error instanceof AlertNotFoundError)) throw error;
        await this.ctx.redis.zrem(this.ctx.keys.snoozed, id);
      }
    }
    return changes;
  }
}

function checkActor(actor: string): void {
  if (typeof actor !== 'string' || actor.trim().length === 0 || actor.length > 200) {
    throw new AlertStoreInputError([{ field: 'actor', message: 'must be 1 to 200 characters, e.g. user:alice' }]);
  }
}

function checkMinutes(minutes: number | undefined): void {
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < SNOOZE_MINUTES.min || minutes > SNOOZE_MINUTES.max) {
    throw new AlertStoreInputError([
      { field: 'minutes', message: `must be a whole number of minutes from ${SNOOZE_MINUTES.min} to ${SNOOZE_MINUTES.max}` },
    ]);
  }
}
