import type { Registry } from 'prom-client';
import { counter, histogram } from '@rebal/redis-client';

/** The event processor's metrics. */
export interface ProcessingMetrics {
  /** One rule observation evaluated: its rule kind and outcome (`raise`, `update`, `resolve`, `unchanged`, `ignored`). */
  evaluated(kind: string, outcome: string): void;
  /** One consumed event: its type and outcome (`committed`, `duplicate`, `skipped`, `refused`, `failed`). */
  event(type: string, outcome: string): void;
  /** Seconds one event took (all its rules, commit included). */
  duration(seconds: number): void;
  /** One lost compare-and-set retried. */
  conflict(): void;
  /** One failed ticker pass. */
  tickerFailure(): void;
}

/** Creates (or reuses, per registry) the processor metrics. */
export function createProcessingMetrics(registry?: Registry): ProcessingMetrics {
  const evaluations = counter({
    name: 'rebal_alert_rule_evaluations_total',
    help: 'Rule observations evaluated, by rule kind and outcome (raise, update, resolve, unchanged, ignored).',
    labelNames: ['kind', 'outcome'],
    registry,
  });
  const events = counter({
    name: 'rebal_alert_events_processed_total',
    help: 'Consumed events, by type and outcome (committed, duplicate, skipped, refused, failed).',
    labelNames: ['type', 'outcome'],
    registry,
  });
  const duration = histogram({
    name: 'rebal_alert_evaluation_duration_seconds',
    help: 'Time to evaluate every rule for one event and commit the result.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registry,
  });
  const conflicts = counter({ name: 'rebal_alert_evaluation_conflicts_total', help: 'Evaluations retried after a compare-and-set conflict.', registry });
  const tickerFailures = counter({ name: 'rebal_alert_ticker_failures_total', help: 'Ticker passes that failed (retried with backoff).', registry });
  return {
    evaluated: (kind, outcome) => evaluations.inc({ kind, outcome }),
    event: (type, outcome) => events.inc({ type, outcome }),
    duration: (seconds) => duration.observe(seconds),
    conflict: () => conflicts.inc(),
    tickerFailure: () => tickerFailures.inc(),
  };
}
