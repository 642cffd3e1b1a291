import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@rebal/redis-client';
import { tick, tickDueAtMs } from '../rules';
import type { AlertStore, CommittedChange, RuleStateRef } from '../store';
import type { ProcessingMetrics } from './processing-metrics';
import type { RuleReconciler } from './rule-reconciler';
import type { RuleSource } from './rules-provider';

/** Options of the ticker loop. */
export interface TickerOptions {
  /** Time between passes in ms (default 1000). */
  intervalMs?: number;
  /** Stops the loop when aborted (default: only `stop()`). */
  signal?: AbortSignal;
  /** Time between retention purges (`purgeResolved`) in ms (default 60000). */
  purgeIntervalMs?: number;
  /** Cap of the backoff after failed passes in ms (default 30000). */
  maxBackoffMs?: number;
  /** Rule states handled per pass at most (default 500). */
  batchSize?: number;
}

/** What a ticker pass needs from the processor. */
export interface TickerDependencies {
  store: AlertStore;
  rulesProvider: RuleSource;
  clock: () => number;
  logger: Logger;
  metrics: ProcessingMetrics;
  maxAttempts: number;
  notify: (changes: readonly CommittedChange[]) => Promise<void>;
  /** Carries rule changes to the stored states and alerts before each pass (default: none). */
  reconciler?: RuleReconciler;
}

/**
 * The time-driven side of the engine. Each pass, at the clock's time: rule changes the rules
 * cache has seen are reconciled (timers recomputed, alerts the new labels no longer produce
 * resolved); every rule state in the store's due zset goes through the engine's `tick` at its
 * own due time, so keep-firing expiries resolve alerts and cooldowns end without new events;
 * snoozes that ran out are lifted (`alert.updated`, notified again); the alerts gauge is
 * refreshed; and every `purgeIntervalMs` resolved alerts past the retention are purged. A due
 * time is an event time measured in its state's own frame: the zset scores it at the event-time
 * due plus how far the state's last observation lagged the clock, so while a backlog is
 * replayed the ticker waits for the events that may still come (rules README). A failed pass is
 * counted, logged, and retried after a backoff. Replicas may all run it: every write is a
 * compare-and-set against the state read, so each transition happens once and no due time set
 * by an evaluation is lost.
 */
export class RuleTicker {
  /** Settles when the loop has ended. */
  readonly done: Promise<void>;
  private readonly abort = new AbortController();

  /**
   * @param deps what a pass needs
   * @param options loop options
   */
  constructor(
    private readonly deps: TickerDependencies,
    options: TickerOptions = {},
  ) {
    const intervalMs = options.intervalMs ?? 1000;
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
    options.signal?.addEventListener('abort', () => this.abort.abort(), { once: true });
    if (options.signal?.aborted) this.abort.abort();
    this.done = this.loop(intervalMs, options);
  }

  /** One pass at wall-clock `nowMs`; returns the alert changes it committed. */
  static async pass(deps: TickerDependencies, nowMs: number, batchSize = 500): Promise<CommittedChange[]> {
    const changes: CommittedChange[] = [];
    if (deps.reconciler) changes.push(...(await deps.reconciler.reconcile(await deps.rulesProvider.rules())));
    for (const due of await deps.store.dueRuleStates(nowMs, batchSize)) {
      changes.push(...(await RuleTicker.tickOne(deps, due, nowMs)));
    }
    changes.push(...(await deps.store.expireSnoozes(nowMs)));
    await deps.notify(changes);
    return changes;
  }

  /** Stops the loop (idempotent); resolves when the current pass has finished. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private static async tickOne(deps: TickerDependencies, ref: RuleStateRef, nowMs: number): Promise<CommittedChange[]> {
    const rule = await deps.rulesProvider.getRule(ref.ruleId);
    // A rule this replica's cache does not know yet (created on another replica moments ago) is
    // not a deleted one: its due times wait for the cache.
    if (!rule && (await deps.store.getRule(ref.ruleId))) return [];
    for (let attempt = 1; attempt <= deps.maxAttempts; attempt += 1) {
      const [stored] = await deps.store.readRuleStates([ref]);
      // Every decision below rests on this read: the write is refused if the state changed since.
      const version = stored?.version ?? 0;
      const dueAtMs = rule && stored ? tickDueAtMs(rule, stored.state) : undefined;
      const offsetMs = stored?.frameOffsetMs ?? 0;
      if (!rule || !stored || dueAtMs === undefined) {
        // Nothing to time (rule deleted, state gone, timers off): unscheduled.
        if (await deps.store.rescheduleRuleState(ref, version, undefined)) return [];
      } else if (dueAtMs + offsetMs > nowMs) {
        // Not due yet in the state's frame (e.g. the rule's timers grew): looked at again then.
        if (await deps.store.rescheduleRuleState(ref, version, dueAtMs + offsetMs)) return [];
      } else {
        // At its own due time, an event time: the same transition a replay of the events makes.
        const result = tick(rule, stored.state, dueAtMs);
        const next = tickDueAtMs(rule, result.state);
        const outcome = await deps.store.applyEvaluation({
          states: [{ ...ref, expectedVersion: version, state: result.state, dueAtMs: next === undefined ? undefined : next + offsetMs, frameOffsetMs: offsetMs }],
          transitions: result.transition ? [{ kind: rule.kind, transition: result.transition }] : [],
        });
        if (outcome.status === 'committed') {
          if (result.transition) deps.metrics.evaluated(rule.kind, result.transition.kind);
          return outcome.changes;
        }
      }
      deps.metrics.conflict();
    }
    deps.logger.warn({ ...ref }, 'tick kept conflicting; retried on the next pass');
    return [];
  }

  private async loop(intervalMs: number, options: TickerOptions): Promise<void> {
    const purgeIntervalMs = options.purgeIntervalMs ?? 60_000;
    const maxBackoffMs = options.maxBackoffMs ?? 30_000;
    const signal = this.abort.signal;
    let lastPurge = -Infinity;
    let failures = 0;
    while (!signal.aborted) {
      let waitMs = intervalMs;
      try {
        const nowMs = this.deps.clock();
        await RuleTicker.pass(this.deps, nowMs, options.batchSize);
        if (nowMs - lastPurge >= purgeIntervalMs) {
          lastPurge = nowMs;
          await this.deps.store.purgeResolved(nowMs);
        }
        await this.deps.store.refreshMetrics();
        if (failures > 0) this.deps.logger.info({ failures }, 'alert ticker recovered');
        failures = 0;
      } catch (error) {
        failures += 1;
        this.deps.metrics.tickerFailure();
        if (failures === 1) this.deps.logger.warn({ err: error }, 'alert ticker pass failed; backing off');
        waitMs = Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failures, 16));
      }
      try {
        await delay(waitMs, undefined, { signal });
      } catch {
        // aborted: the loop condition ends it
      }
    }
  }
}
