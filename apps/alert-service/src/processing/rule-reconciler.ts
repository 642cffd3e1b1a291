import type { Logger } from '@rebal/redis-client';
import type { AlertRecord, AlertStatus } from '../alerts';
import { ruleProducesLabels, tickDueAtMs, type RuleDefinition } from '../rules';
import { AlertConflictError, AlertNotFoundError, MAX_PAGE_SIZE, type AlertListQuery, type AlertStore, type CommittedChange } from '../store';

/** Statuses of an open alert. */
const OPEN: readonly AlertStatus[] = ['firing', 'acknowledged', 'snoozed'];

/**
 * Carries rule changes to what the store holds for each rule, once for every change this
 * replica's rules cache sees (rules README, "Rule changes"):
 * - the due times of the rule's timed states are recomputed with its new timers, each in its
 *   state's own frame, so a lowered `keepFiringSeconds` resolves at the new time;
 * - the rule's open alerts whose labels the new definition no longer produces (static labels,
 *   symbol, metric...) are resolved by `rule:<id>`, notified, and their states dropped: no
 *   observation would ever reach them again.
 * Every replica does it: each write is a compare-and-set and the result is the same whoever
 * writes it, and a replica that evaluated with a rule before seeing its change corrects its
 * own writes. The first call (a replica's start) treats every rule as changed. A deleted or
 * disabled rule leaves its open alerts open (docs/api.md).
 */
export class RuleReconciler {
  /** Rule id → the definition (JSON) last reconciled. */
  private seen?: ReadonlyMap<string, string>;
  /** The rules array last reconciled in full: the rules cache hands out the same one until the rules change. */
  private lastRules?: readonly RuleDefinition[];

  /**
   * @param store the store
   * @param logger where resolutions and failures are reported
   */
  constructor(
    private readonly store: AlertStore,
    private readonly logger: Logger,
  ) {}

  /** Reconciles the rules that changed since the last call; returns the alert changes committed. */
  async reconcile(rules: readonly RuleDefinition[]): Promise<CommittedChange[]> {
    if (rules === this.lastRules) return [];
    const current = new Map(rules.map((rule) => [rule.id, JSON.stringify(rule)]));
    const changed = new Map(rules.filter((rule) => this.seen?.get(rule.id) !== current.get(rule.id)).map((rule) => [rule.id, rule]));
    if (changed.size === 0) {
      this.seen = current;
      this.lastRules = rules;
      return [];
    }
    await this.rescheduleTimers(changed);
    const { changes, failed } = await this.retireOrphans(changed, this.seen === undefined);
    // A rule whose alerts could not all be resolved counts as changed again next time.
    for (const id of failed) current.delete(id);
    this.seen = current;
    if (failed.size === 0) this.lastRules = rules;
    return changes;
  }

  private async rescheduleTimers(changed: ReadonlyMap<string, RuleDefinition>): Promise<void> {
    const due = (await this.store.allDueRuleStates()).filter((entry) => changed.has(entry.ruleId));
    const states = await this.store.readRuleStates(due);
    await Promise.all(
      due.map(async (entry, index) => {
        const stored = states[index];
        if (!stored) return;
        const dueAtMs = tickDueAtMs(changed.get(entry.ruleId) as RuleDefinition, stored.state);
        const next = dueAtMs === undefined ? undefined : dueAtMs + (stored.frameOffsetMs ?? 0);
        // Refused when an evaluation wrote the state meanwhile: that write set its own due time.
        if (next !== entry.dueAtMs) await this.store.rescheduleRuleState(entry, stored.version, next);
      }),
    );
  }

  private async retireOrphans(changed: ReadonlyMap<string, RuleDefinition>, everyRule: boolean): Promise<{ changes: CommittedChange[]; failed: Set<string> }> {
    const queries: AlertListQuery[] = everyRule ? OPEN.map((status) => ({ status })) : [...changed.keys()].map((id) => ({ label: `rule=${id}` }));
    const changes: CommittedChange[] = [];
    const failed = new Set<string>();
    for (const query of queries) {
      for (const alert of await this.openAlerts(query)) {
        const rule = changed.get(alert.ruleId);
        // Escalations are the system's, whatever their rule id says.
        if (!rule || !rule.enabled || alert.escalation !== undefined || ruleProducesLabels(rule, alert.labels)) continue;
        try {
          changes.push(...(await this.store.resolveForRuleChange(alert.id, rule.id)));
          this.logger.info({ alertId: alert.id, ruleId: rule.id }, 'resolved an alert its changed rule no longer produces');
        } catch (error) {
          if (error instanceof AlertNotFoundError) continue;
          if (!(error instanceof AlertConflictError)) throw error;
          failed.add(rule.id);
          this.logger.warn({ alertId: alert.id, ruleId: rule.id }, 'an alert its changed rule no longer produces kept changing; retried on the next pass');
        }
      }
    }
    return { changes, failed };
  }

  /** Every open alert the query finds, all pages. */
  private async openAlerts(query: AlertListQuery): Promise<AlertRecord[]> {
    const open: AlertRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.list({ ...query, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      open.push(...page.items.filter((alert) => OPEN.includes(alert.status)));
      cursor = page.nextCursor;
    } while (cursor);
    return open;
  }
}
