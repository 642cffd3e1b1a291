import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from '../metrics/get-or-create-metric';
import type { DeadLetterReason } from './dead-letter';

/** The `rebal_consumer_*` metrics of one runner, bound to its `stream` and `group` labels. */
export interface ConsumerMetrics {
  processed(): void;
  failed(): void;
  deadLettered(reason: DeadLetterReason): void;
  /** Starts the handler-duration timer; call the result when the handler settles. */
  startHandlerTimer(): () => void;
  lag(value: number): void;
  pending(value: number): void;
  readError(): void;
  ackError(): void;
}

/** Gets or creates the shared consumer metrics on `registry` and binds them to one stream and group. */
export function createConsumerMetrics(registry: Registry | undefined, stream: string, group: string): ConsumerMetrics {
  const labelNames = ['stream', 'group'] as const;
  const labels = { stream, group };
  const processed = counter({
    name: 'rebal_consumer_events_processed_total',
    help: 'Events whose handler succeeded.',
    labelNames,
    registry,
  }).labels(labels);
  const failed = counter({
    name: 'rebal_consumer_events_failed_total',
    help: 'Handler failures (each failed delivery counts), and invalid entries not dead-lettered.',
    labelNames,
    registry,
  }).labels(labels);
  const deadLettered = counter({
    name: 'rebal_consumer_events_dead_lettered_total',
    help: 'Entries moved to the dead-letter stream, by reason (invalid, max-deliveries).',
    labelNames: [...labelNames, 'reason'],
    registry,
  });
  const duration = histogram({
    name: 'rebal_consumer_handler_duration_seconds',
    help: 'Time spent in the event handler.',
    labelNames,
    registry,
  }).labels(labels);
  const lag = gauge({
    name: 'rebal_consumer_lag',
    help: 'Entries in the stream not yet delivered to the group (XINFO GROUPS lag, Redis >= 7.0).',
    labelNames,
    registry,
  }).labels(labels);
  const pending = gauge({
    name: 'rebal_consumer_pending',
    help: 'Entries delivered to the group and not yet acknowledged (XINFO GROUPS pending).',
    labelNames,
    registry,
  }).labels(labels);
  const readErrors = counter({
    name: 'rebal_consumer_read_errors_total',
    help: 'Failed passes against Redis: XREADGROUP reads, XAUTOCLAIM claims and XINFO refreshes.',
    labelNames,
    registry,
  }).labels(labels);
  const ackErrors = counter({
    name: 'rebal_consumer_ack_errors_total',
    help: 'XACKs or dead-letter writes that failed; the entry stays pending and is delivered again.',
    labelNames,
    registry,
  }).labels(labels);
  return {
    processed: () => processed.inc(),
    failed: () => failed.inc(),
    deadLettered: (reason) => deadLettered.inc({ ...labels, reason }),
    startHandlerTimer: () => {
      const end = duration.startTimer();
      return () => {
        end();
      };
    },
    lag: (value) => lag.set(value),
    pending: (value) => pending.set(value),
    readError: () => readErrors.inc(),
    ackError: () => ackErrors.inc(),
  };
}
