import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from '@rebal/redis-client';

/** The event processor's metrics. Counts of a batch are added once per batch, not per event. */
export interface ProcessingMetrics {
  /** Rule observations evaluated: their rule kind and outcome (`raise`, `update`, `resolve`, `unchanged`, `ignored`). */
  evaluated(kind: string, outcome: string, count?: number): void;
  /** Consumed events: their type and outcome (`committed`, `duplicate`, `skipped`, `refused`, `invalid`, `failed`). */
  event(type: string, outcome: string, count?: number): void;
  /** Seconds one batch took (its events, their commits included). */
  duration(seconds: number): void;
  /** One lost compare-and-set retried. */
  conflict(): void;
  /** One failed ticker pass. */
  tickerFailure(): void;
  /** Partitions this replica owns now. */
  owned(count: number): void;
  /** Rule states held in memory (not inactive, or waiting to be written as inactive). */
  held(count: number): void;
  /** Feeds of this replica's partitions whose last announced status is stale (their price rules have no data). */
  staleFeeds(count: number): void;
  /** A partition acquired, released, or lost (its lease moved on, or a failure made this replica let go of everything). */
  moved(reason: 'acquired' | 'released' | 'lost'): void;
}

/** Creates (or reuses, per registry) the processor metrics. */
export function createProcessingMetrics(registry?: Registry): ProcessingMetrics {
  const evaluations = counter({
    name: 'rebal_alert_rule_evaluations_total',
    help: 'Rule observations evaluated, by rule kind and outcome (raise, update, resolve, unchanged, ignored). Rules an event cannot change are not evaluated.',
    labelNames: ['kind', 'outcome'],
    registry,
  });
  const events = counter({
    name: 'rebal_alert_events_processed_total',
    help: 'Events of the partitions this replica owns, by type and outcome (committed, duplicate, skipped, refused, invalid, failed).',
    labelNames: ['type', 'outcome'],
    registry,
  });
  const duration = histogram({
    name: 'rebal_alert_evaluation_duration_seconds',
    help: 'Time to evaluate one batch of events and commit what it changed.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registry,
  });
  const conflicts = counter({ name: 'rebal_alert_evaluation_conflicts_total', help: 'Commits retried after a compare-and-set conflict on an alert.', registry });
  const tickerFailures = counter({ name: 'rebal_alert_ticker_failures_total', help: 'Ticker passes that failed (retried with backoff).', registry });
  const owned = gauge({ name: 'rebal_alert_partitions_owned', help: 'Rule engine partitions this replica owns.', registry });
  const held = gauge({ name: 'rebal_alert_rule_states_held', help: 'Rule states held in memory by this replica (the others are inactive).', registry });
  const staleFeeds = gauge({
    name: 'rebal_alert_feeds_stale',
    help: 'Feeds announced stale (feed_status) in the partitions this replica owns, each with an open S1 feed_stale alert; summed over the replicas, every stale feed once.',
    registry,
  });
  const moves = counter({
    name: 'rebal_alert_partition_moves_total',
    help: 'Partitions this replica acquired, released (handed over) or lost (taken over by another replica, or let go after a failure).',
    labelNames: ['reason'],
    registry,
  });
  return {
    evaluated: (kind, outcome, count = 1) => evaluations.inc({ kind, outcome }, count),
    event: (type, outcome, count = 1) => events.inc({ type, outcome }, count),
    duration: (seconds) => duration.observe(seconds),
    conflict: () => conflicts.inc(),
    tickerFailure: () => tickerFailures.inc(),
    owned: (count) => owned.set(count),
    held: (count) => held.set(count),
    staleFeeds: (count) => staleFeeds.set(count),
    moved: (reason) => moves.inc({ reason }),
  };
}
