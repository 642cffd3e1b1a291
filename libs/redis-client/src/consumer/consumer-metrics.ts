import type { Registry } from 'prom-client';
import { accumulatingCounter, accumulatingHistogram, counter, gauge } from '../metrics';
import type { DeadLetterReason } from './dead-letter';

/**
 * The `rebal_consumer_*` metrics of one runner, bound to its `stream` and `group` labels.
 * The per-event ones are additions in memory, summed into prom-client when it is scraped.
 */
export interface ConsumerMetrics {
  processed(): void;
  failed(): void;
  deadLettered(reason: DeadLetterReason): void;
  /** Records one handler call's duration, in seconds. */
  handlerDuration(seconds: number): void;
  lag(value: number): void;
  pending(value: number): void;
  readError(): void;
  ackError(): void;
}

/** Gets or creates the shared consumer metrics on `registry` and binds them to one stream and group. */
export function createConsumerMetrics(registry: Registry | undefined, stream: string, group: string): ConsumerMetrics {
  const labelNames = ['stream', 'group'] as const;
  const labels = { stream, group };
  const processed = accumulatingCounter(
    counter({ name: 'rebal_consumer_events_processed_total', help: 'Events whose handler succeeded.', labelNames, registry }),
    labels,
  );
  const failed = accumulatingCounter(
    counter({
      name: 'rebal_consumer_events_failed_total',
      help: 'Handler failures (each failed delivery counts), and invalid entries not dead-lettered.',
      labelNames,
      registry,
    }),
    labels,
  );
  const deadLetteredTotal = counter({
    name: 'rebal_consumer_events_dead_lettered_total',
    help: 'Entries moved to the dead-letter stream, by reason (invalid, max-deliveries).',
    labelNames: [...labelNames, 'reason'],
    registry,
  });
  const deadLettered = {
    invalid: accumulatingCounter(deadLetteredTotal, { ...labels, reason: 'invalid' }),
    'max-deliveries': accumulatingCounter(deadLetteredTotal, { ...labels, reason: 'max-deliveries' }),
  } satisfies Record<DeadLetterReason, unknown>;
  const duration = accumulatingHistogram({
    name: 'rebal_consumer_handler_duration_seconds',
    help: 'Time spent in the event handler.',
    labelNames,
    registry,
  }).child(labels);
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
  const readErrors = accumulatingCounter(
    counter({
      name: 'rebal_consumer_read_errors_total',
      help: 'Failed passes against Redis: XREADGROUP reads, XAUTOCLAIM claims and XINFO refreshes.',
      labelNames,
      registry,
    }),
    labels,
  );
  const ackErrors = accumulatingCounter(
    counter({
      name: 'rebal_consumer_ack_errors_total',
      help: 'XACKs or dead-letter writes that failed; the entry stays pending and is delivered again.',
      labelNames,
      registry,
    }),
    labels,
  );
  return {
    processed: () => processed.inc(),
    failed: () => failed.inc(),
    deadLettered: (reason) => deadLettered[reason].inc(),
    handlerDuration: (seconds) => duration.observe(seconds),
    lag: (value) => lag.set(value),
    pending: (value) => pending.set(value),
    readError: () => readErrors.inc(),
    ackError: () => ackErrors.inc(),
  };
}
