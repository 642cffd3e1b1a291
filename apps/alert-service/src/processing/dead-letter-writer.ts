import type { Counter, Registry } from 'prom-client';
import { counter, dlqKey, DLQ_MAX_LEN, encodeEvent, silentLogger, type CloudEvent, type ConsumerEntry, type Logger, type RedisConnection } from '@rebal/redis-client';

/** Options of {@link DeadLetterWriter}. */
export interface DeadLetterWriterOptions {
  /** Command connection for the XADD to `<stream>:dlq`. */
  redis: RedisConnection;
  /** Consumer group whose handler refuses the entries (`dlq_group`), e.g. `alert-service`. */
  group: string;
  /** prom-client registry of `rebal_consumer_events_dead_lettered_total` (default: the global registry). */
  registry?: Registry;
  /** Logger (default: silent). */
  logger?: Logger;
}

/**
 * Copies an entry its handler refuses to `<stream>:dlq` at once, in the consumer runner's format:
 * the event's fields followed by `dlq_reason` (`invalid`), `dlq_error`, `dlq_stream`, `dlq_id`,
 * `dlq_group`, `dlq_deliveries`, `dlq_time`, and counts it in the runner's
 * `rebal_consumer_events_dead_lettered_total{reason="invalid"}`. The runner dead-letters on its
 * own only what fails decoding or validation, or fails every delivery; a handler that resolves
 * after `write` has the entry acked. Should the XADD fail, the handler throws, the entry stays
 * pending and is refused again on its next delivery (a duplicate copy at worst, never a lost one).
 */
export class DeadLetterWriter {
  private readonly redis: RedisConnection;
  private readonly group: string;
  private readonly logger: Logger;
  private readonly deadLettered: Counter<'stream' | 'group' | 'reason'>;

  /** @param options see {@link DeadLetterWriterOptions} */
  constructor(options: DeadLetterWriterOptions) {
    if (!options.redis) throw new TypeError('redis is required');
    if (typeof options.group !== 'string' || options.group.length === 0) throw new TypeError('group must be a non-empty string');
    this.redis = options.redis;
    this.group = options.group;
    this.logger = options.logger ?? silentLogger();
    // The runner's metric (same name, help and labels): dead letters count alike whoever writes them.
    this.deadLettered = counter({
      name: 'rebal_consumer_events_dead_lettered_total',
      help: 'Entries moved to the dead-letter stream, by reason (invalid, max-deliveries).',
      labelNames: ['stream', 'group', 'reason'],
      registry: options.registry,
    });
  }

  /**
   * XADDs the copy of `event` (delivered as `entry`) to `<entry.stream>:dlq` with `error` as `dlq_error`.
   * @returns the id of the copy
   */
  write(event: CloudEvent, entry: ConsumerEntry, error: string): Promise<string> {
    return this.writeFields(encodeEvent(event), entry, error);
  }

  /**
   * XADDs the copy of an entry's fields as read (one that does not decode or validate) to
   * `<entry.stream>:dlq` with `error` as `dlq_error`.
   * @returns the id of the copy
   */
  async writeFields(original: readonly string[], entry: ConsumerEntry, error: string): Promise<string> {
    const fields = [
      ...original,
      'dlq_reason', 'invalid',
      'dlq_error', error,
      'dlq_stream', entry.stream,
      'dlq_id', entry.id,
      'dlq_group', this.group,
      'dlq_deliveries', String(entry.deliveries),
      'dlq_time', new Date().toISOString(),
    ];
    const deadLetterId = (await this.redis.xadd(dlqKey(entry.stream), 'MAXLEN', '~', String(DLQ_MAX_LEN), '*', ...fields)) as string;
    this.deadLettered.inc({ stream: entry.stream, group: this.group, reason: 'invalid' });
    this.logger.warn({ stream: entry.stream, id: entry.id, group: this.group, reason: 'invalid', error, deliveries: entry.deliveries, deadLetterId }, 'moved entry to the dead-letter stream');
    return deadLetterId;
  }
}
