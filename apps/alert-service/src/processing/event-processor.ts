import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { silentLogger, type CloudEvent, type ConsumerEntry, type ConsumerHandler, type Logger } from '@rebal/redis-client';
import type { RuleEvent } from '../rules';
import type { AlertStore, CommittedChange } from '../store';
import type { DeadLetterWriter } from './dead-letter-writer';
import { EvaluationConflictError } from './evaluation-conflict-error';
import type { PriceHistory } from './price-history';
import { createProcessingMetrics, type ProcessingMetrics } from './processing-metrics';
import { evaluateObserved, eventTimeMs, longestWindowMs, observeAll, priceLookups } from './rule-evaluation';
import type { RuleSource } from './rules-provider';
import { RuleReconciler } from './rule-reconciler';
import { RuleTicker, type TickerOptions } from './rule-ticker';

/** Event types the rules read; any other type is acknowledged without work. */
export const EVALUATED_EVENT_TYPES: readonly string[] = ['price_update', 'portfolio_snapshot', 'risk_metric', 'system_status'];

/** Default of {@link EventProcessorOptions.maxClockSkewMs}: 5 minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 300_000;

/** Options of {@link createEventProcessor}. */
export interface EventProcessorOptions {
  /** Where states and alerts are committed. */
  store: AlertStore;
  /** The rules (a `RulesProvider`: cached, refreshed when the store's rules version changes). */
  rulesProvider: RuleSource;
  /** Price history for `price_change` rules (the `price_update`s of symbols such a rule watches are recorded). */
  priceHistory: PriceHistory;
  /** Evaluation attempts per event when compare-and-set conflicts (default 10); then the event is left for redelivery. */
  maxAttempts?: number;
  /** Called after every commit with its alert changes (e.g. to enqueue notifications); errors are logged, never thrown. */
  onChanges?: (changes: readonly CommittedChange[]) => void | Promise<void>;
  /**
   * Current time in ms (default `Date.now`): the ticker's time, and what an event's `time` may not
   * exceed by more than `maxClockSkewMs`. Events are evaluated at their own `time`.
   */
  clock?: () => number;
  /**
   * How far ahead of the clock an event's `time` may be, in ms (default 300000, 5 minutes). An
   * event dated further ahead is refused, not evaluated: a rule state would keep its time as the
   * last event's and ignore every later event as older, until that date.
   */
  maxClockSkewMs?: number;
  /**
   * Where the handler copies refused events (dated too far ahead) before they are acked (default
   * none: a refused event is only logged, counted as `refused` and acked).
   */
  deadLetters?: DeadLetterWriter;
  /** prom-client registry of the processor metrics (default: the global registry). */
  registry?: Registry;
  /** Logger (default: silent). */
  logger?: Logger;
}

/** What processing one event did. */
export interface ProcessOutcome {
  /**
   * `committed`: effects written; `duplicate`: written before (redelivery); `skipped`: nothing to
   * evaluate; `refused`: not evaluated, dated more than `maxClockSkewMs` ahead of the clock.
   */
  status: 'committed' | 'duplicate' | 'skipped' | 'refused';
  /** The alert changes committed (empty unless `committed`). */
  changes: CommittedChange[];
  /** Why the event was refused (only when `refused`). */
  reason?: string;
}

/** The alert service's evaluation of consumed events. */
export interface EventProcessor {
  /**
   * The `ConsumerGroupRunner` handler for market_data, portfolio_updates and risk_events. A refused
   * event is copied to the dead-letter stream (`deadLetters`) and resolves, so the runner acks it.
   */
  readonly handler: ConsumerHandler;
  /** Processes one event: refuse it when dated too far ahead, else record its price, evaluate every rule, commit (retrying conflicts). */
  process(event: CloudEvent): Promise<ProcessOutcome>;
  /** One ticker pass at `nowMs` (default: the clock): rule changes reconciled, due keep-firing expiries and cooldowns, expired snoozes. */
  tickOnce(nowMs?: number): Promise<CommittedChange[]>;
  /** Starts the periodic ticker (see {@link TickerOptions}); stop it with `stop()` or the signal. */
  startTicker(options?: TickerOptions): RuleTicker;
}

/**
 * Creates the event processor. Per event: one of the evaluated types dated more than
 * `maxClockSkewMs` ahead of the clock is refused (logged, counted, dead-lettered by the handler)
 * without touching any state; otherwise a `price_update` of a symbol that an enabled
 * `price_change` rule watches is recorded in the price history (a rule added later sees
 * moves once its window has been recorded); the rules observe the event; their states are read with versions; `step` runs at
 * the event's own time (deterministic replays); `store.applyEvaluation` commits states,
 * alert changes, stream events and the event's idempotency marker in one script. A
 * conflict (another replica or the API changed a state or alert meanwhile) re-reads and
 * re-evaluates, up to `maxAttempts`; then the handler throws so the entry stays pending.
 * A redelivered event finds its marker and changes nothing.
 */
export function createEventProcessor(options: EventProcessorOptions): EventProcessor {
  const { store, rulesProvider, priceHistory } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  const clock = options.clock ?? Date.now;
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!Number.isFinite(maxClockSkewMs) || maxClockSkewMs < 0) throw new RangeError(`maxClockSkewMs must be a non-negative number, got ${maxClockSkewMs}`);
  const logger = options.logger ?? silentLogger();
  const metrics: ProcessingMetrics = createProcessingMetrics(options.registry);

  const notify = async (changes: readonly CommittedChange[]): Promise<void> => {
    if (changes.length === 0 || !options.onChanges) return;
    try {
      await options.onChanges(changes);
    } catch (error) {
      logger.error({ err: error, changes: changes.length }, 'onChanges hook failed');
    }
  };

  async function evaluate(event: CloudEvent, atMs: number): Promise<ProcessOutcome> {
    const ruleEvent: RuleEvent = event;
    const rules = await rulesProvider.rules();
    const data = event.data as { symbol?: unknown; price?: unknown } | undefined;
    if (event.type === 'price_update' && typeof data?.symbol === 'string' && typeof data.price === 'number') {
      // Only symbols a price_change rule watches, each kept for its longest window.
      const windowMs = longestWindowMs(rules, data.symbol);
      if (windowMs > 0) await priceHistory.record(data.symbol, atMs, data.price, event.id, windowMs + 60_000);
    }
    if (await store.isProcessed(event.id)) return { status: 'duplicate', changes: [] };
    const prices = await priceHistory.pricesAt(priceLookups(rules, ruleEvent));
    const observed = observeAll(rules, ruleEvent, { priceAt: (symbol, at) => prices.get(`${symbol}@${at}`) });
    if (observed.length === 0) return { status: 'skipped', changes: [] };
    const refs = observed.map(({ rule, observation }) => ({ ruleId: rule.id, fingerprint: observation.fingerprint }));
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const states = await store.readRuleStates(refs);
      // The states' own frame: timers run in event time, and the ticker acts on them that much later by the clock.
      const evaluation = evaluateObserved(observed, states, atMs, Math.max(0, clock() - atMs));
      if (evaluation.writes.length === 0) {
        for (const { kind, outcome } of evaluation.outcomes) metrics.evaluated(kind, outcome);
        return { status: 'skipped', changes: [] };
      }
      const result = await store.applyEvaluation({ eventId: event.id, states: evaluation.writes, transitions: evaluation.transitions });
      if (result.status === 'duplicate') return { status: 'duplicate', changes: [] };
      if (result.status === 'committed') {
        for (const { kind, outcome } of evaluation.outcomes) metrics.evaluated(kind, outcome);
        return { status: 'committed', changes: result.changes };
      }
      metrics.conflict();
      logger.debug({ eventId: event.id, key: result.key, attempt }, 'evaluation conflicted; retrying');
      // Spread the retries of replicas that collided on the same keys.
      await delay(Math.floor(Math.random() * 5 * attempt));
    }
    throw new EvaluationConflictError(event.id, maxAttempts);
  }

  async function process(event: CloudEvent): Promise<ProcessOutcome> {
    const atMs = eventTimeMs(event);
    if (!EVALUATED_EVENT_TYPES.includes(event.type) || atMs === undefined) {
      metrics.event(event.type, 'skipped');
      return { status: 'skipped', changes: [] };
    }
    const aheadMs = atMs - clock();
    if (aheadMs > maxClockSkewMs) {
      const reason = `event time ${event.time} is ${aheadMs} ms ahead of the clock, more than the ${maxClockSkewMs} ms allowed (ALERT_MAX_CLOCK_SKEW): not evaluated`;
      metrics.event(event.type, 'refused');
      logger.warn({ eventId: event.id, type: event.type, time: event.time, aheadMs, maxClockSkewMs }, 'refused an event dated ahead of the clock');
      return { status: 'refused', changes: [], reason };
    }
    const started = performance.now();
    try {
      const outcome = await evaluate(event, atMs);
      metrics.event(event.type, outcome.status);
      metrics.duration((performance.now() - started) / 1000);
      await notify(outcome.changes);
      return outcome;
    } catch (error) {
      metrics.event(event.type, 'failed');
      throw error;
    }
  }

  const ticker = { store, rulesProvider, clock, logger, metrics, maxAttempts, notify, reconciler: new RuleReconciler(store, logger) };
  return {
    handler: async (event: CloudEvent, entry: ConsumerEntry) => {
      const outcome = await process(event);
      if (outcome.status === 'refused') await options.deadLetters?.write(event, entry, outcome.reason ?? 'refused');
    },
    process,
    tickOnce: (nowMs = clock()) => RuleTicker.pass(ticker, nowMs),
    startTicker: (tickerOptions = {}) => new RuleTicker(ticker, tickerOptions),
  };
}
