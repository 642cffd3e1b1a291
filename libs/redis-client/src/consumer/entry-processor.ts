import type { CloudEvent } from '../events/cloud-event';
import { decodeEntry } from '../events/event-codec';
import { DLQ_MAX_LEN } from '../events/streams';
import type { Logger } from '../logging/logger';
import { AckBatcher } from './ack-batcher';
import type { ResolvedRunnerOptions } from './consumer-group-runner-options';
import type { ConsumerMetrics } from './consumer-metrics';
import { deadLetterFields, errorMessage, type DeadLetterNotice, type DeadLetterReason } from './dead-letter';
import type { StreamEntry } from './stream-replies';
import { isTransientRedisError } from './transient-error';

/** Handler errors kept per entry id, for `dlq_error` when an entry is given up on at a later claim. */
const MAX_REMEMBERED_ERRORS = 1_000;

/** What an {@link EntryProcessor} works with; the runner owns all of it. */
export interface EntryProcessorContext {
  options: ResolvedRunnerOptions;
  metrics: ConsumerMetrics;
  logger: Logger;
  /** `<stream>:dlq`. */
  dlqKey: string;
  /** Called after an entry was dead-lettered and acked. */
  onDeadLetter(notice: DeadLetterNotice): void;
  /** Called when Redis failed to take an ack or a dead-letter copy. */
  onError(error: unknown): void;
}

/**
 * The fate of one delivered entry around its handler (which the runner calls): decode and
 * validate it (its type must be one the stream carries, when the runner has `types`), then
 * ack it after the handler succeeded, or leave it pending for a retry, or copy it to the
 * dead-letter stream and ack it. A handled entry costs no promise of its own here: its ack
 * joins the turn's XACK.
 */
export class EntryProcessor {
  private readonly lastErrors = new Map<string, string>();
  /** Entries whose last failure here was Redis being unavailable: their delivery count says nothing about them. */
  private readonly transient = new Set<string>();
  private readonly acks: AckBatcher;
  /** Failures the ack batcher reported already (a dead-letter waiting for its XACK sees the same error). */
  private readonly reported = new WeakSet<object>();

  constructor(private readonly context: EntryProcessorContext) {
    const { redis, stream, group, count } = context.options;
    this.acks = new AckBatcher((ids) => redis.xack(stream, group, ...ids), (error, ids) => this.ackFailed(error, ids.length), Math.max(count, 500));
  }

  /**
   * The event to hand to the handler; or, for an entry that must not be handled (trimmed
   * meanwhile, invalid, or delivered `maxDeliveries` times already), the promise of its
   * settling: acked, dropped or dead-lettered. That promise never rejects.
   */
  prepare(entry: StreamEntry): CloudEvent | Promise<void> {
    const { options } = this.context;
    if (entry.fields === null) {
      // Trimmed from the stream while pending: nothing left to handle.
      if (!options.noAck) this.acks.add(entry.id);
      return Promise.resolve();
    }
    const decoded = decodeEntry(entry.fields, { validate: options.validate, types: options.types });
    if (!decoded.ok) return this.settle(entry, this.refuse(entry, decoded.reason));
    if (!options.noAck && entry.deliveries > options.maxDeliveries && !this.transient.has(entry.id)) {
      // Delivered too often without an ack (e.g. its handler crashed the process each time).
      const error = this.lastErrors.get(entry.id) ?? `not acknowledged after ${entry.deliveries - 1} deliveries`;
      return this.settle(entry, this.deadLetter(entry, 'max-deliveries', error));
    }
    return decoded.event;
  }

  /** The entry's handler succeeded: counted, and acked with this turn's XACK. */
  succeeded(entry: StreamEntry): void {
    this.context.metrics.processed();
    if (this.context.options.noAck) return;
    if (this.lastErrors.size > 0) this.lastErrors.delete(entry.id);
    if (this.transient.size > 0) this.transient.delete(entry.id);
    this.acks.add(entry.id);
  }

  /** The entry's handler threw `error`: it stays pending for a retry, or is dead-lettered on its last delivery. Never rejects. */
  failed(entry: StreamEntry, error: unknown): Promise<void> {
    return this.settle(entry, this.handlerFailed(entry, error));
  }

  /** Whether the ack of `id` is waiting to be sent or answered. */
  holdsAck(id: string): boolean {
    return this.acks.holds(id);
  }

  /** Sends the collected acks now; resolves once every XACK sent so far is answered or failed. */
  drainAcks(): Promise<void> {
    return this.acks.drain();
  }

  /** `work` on `entry`, with a Redis failure counted and logged (once) instead of rejected. */
  private async settle(entry: StreamEntry, work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (error) {
      if (error instanceof Object && this.reported.has(error)) return;
      this.context.metrics.ackError();
      this.context.logger.warn({ err: error, id: entry.id }, 'acknowledging an entry failed; it stays pending and comes back');
      this.context.onError(error);
    }
  }

  private ackFailed(error: unknown, count: number): void {
    if (error instanceof Object) this.reported.add(error);
    this.context.metrics.ackError();
    this.context.logger.warn({ err: error, entries: count }, 'acknowledging entries failed; they stay pending and come back');
    this.context.onError(error);
  }

  private async ack(id: string): Promise<void> {
    if (!this.context.options.noAck) await this.acks.ack(id);
  }

  private async handlerFailed(entry: StreamEntry, error: unknown): Promise<void> {
    const message = errorMessage(error);
    this.context.metrics.failed();
    this.context.logger.warn({ id: entry.id, deliveries: entry.deliveries, error: message }, 'event handler failed');
    if (this.context.options.noAck) return;
    if (isTransientRedisError(error)) {
      // Redis was away, not the event at fault: it stays pending and is retried, however often.
      if (this.transient.size >= MAX_REMEMBERED_ERRORS) this.transient.delete(this.transient.values().next().value as string);
      this.transient.add(entry.id);
      return;
    }
    this.transient.delete(entry.id);
    if (entry.deliveries >= this.context.options.maxDeliveries) {
      await this.deadLetter(entry, 'max-deliveries', message);
      return;
    }
    if (this.lastErrors.size >= MAX_REMEMBERED_ERRORS) this.lastErrors.delete(this.lastErrors.keys().next().value as string);
    this.lastErrors.set(entry.id, message);
  }

  /**
   * An entry that failed decoding or validation, or whose type the stream does not carry:
   * dead-letter it, or drop it when `deadLetterInvalid` is off.
   */
  private async refuse(entry: StreamEntry, reason: string): Promise<void> {
    this.context.logger.warn({ id: entry.id, reason }, 'invalid stream entry');
    if (this.context.options.deadLetterInvalid) {
      await this.deadLetter(entry, 'invalid', reason);
      return;
    }
    this.context.metrics.failed();
    await this.ack(entry.id);
  }

  /**
   * XADD the copy to `<stream>:dlq`, then XACK. In a cluster the two keys live in different
   * slots, so these are two commands in this order: a failure between them leaves the entry
   * pending and it is dead-lettered again later (a duplicate copy, never a lost entry).
   */
  private async deadLetter(entry: StreamEntry, reason: DeadLetterReason, error: string): Promise<void> {
    const { options, metrics, logger, dlqKey } = this.context;
    const notice = { stream: options.stream, id: entry.id, group: options.group, reason, error, deliveries: entry.deliveries };
    const fields = deadLetterFields(entry.fields, notice);
    const deadLetterId = (await options.redis.xadd(dlqKey, 'MAXLEN', '~', String(DLQ_MAX_LEN), '*', ...fields)) as string;
    await this.ack(entry.id);
    this.lastErrors.delete(entry.id);
    metrics.deadLettered(reason);
    logger.warn({ ...notice, deadLetterId }, 'moved entry to the dead-letter stream');
    try {
      this.context.onDeadLetter({ ...notice, deadLetterId });
    } catch (listenerError) {
      logger.warn({ err: listenerError }, 'a dead-letter listener threw');
    }
  }
}
