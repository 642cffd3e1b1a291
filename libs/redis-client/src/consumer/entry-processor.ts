import type { CloudEvent } from '../events/cloud-event';
import { decodeEntry } from '../events/event-codec';
import { DLQ_MAX_LEN } from '../events/streams';
import type { Logger } from '../logging/logger';
import { AckBatcher } from './ack-batcher';
import type { ConsumerEntry, ResolvedRunnerOptions } from './consumer-group-runner-options';
import type { ConsumerMetrics } from './consumer-metrics';
import { deadLetterFields, errorMessage, type DeadLetterNotice, type DeadLetterReason } from './dead-letter';
import type { RawStreamEntry } from './stream-replies';
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
 * The fate of one delivered entry: decode and validate it (its type must be one the stream
 * carries, when the runner has `types`), run the handler, then XACK it, or leave it pending
 * for a retry, or copy it to the dead-letter stream and ack it.
 */
export class EntryProcessor {
  private readonly lastErrors = new Map<string, string>();
  /** Entries whose last failure here was Redis being unavailable: their delivery count says nothing about them. */
  private readonly transient = new Set<string>();
  private readonly handlers = new Set<Promise<unknown>>();
  private readonly acks: AckBatcher;

  constructor(private readonly context: EntryProcessorContext) {
    const { redis, stream, group } = context.options;
    this.acks = new AckBatcher((ids) => redis.xack(stream, group, ...ids));
  }

  /** Processes one entry delivered for the `deliveries`-th time. Never rejects. */
  async process(entry: RawStreamEntry, deliveries: number): Promise<void> {
    const { options, metrics } = this.context;
    try {
      if (entry.fields === null) {
        // Trimmed from the stream while pending: nothing left to handle.
        await this.ack(entry.id);
        return;
      }
      const decoded = decodeEntry(entry.fields, { validate: options.validate, types: options.types });
      if (!decoded.ok) {
        await this.refuse(entry, decoded.reason, deliveries);
        return;
      }
      if (!options.noAck && deliveries > options.maxDeliveries && !this.transient.has(entry.id)) {
        // Delivered too often without an ack (e.g. its handler crashed the process each time).
        const error = this.lastErrors.get(entry.id) ?? `not acknowledged after ${deliveries - 1} deliveries`;
        await this.deadLetter(entry, 'max-deliveries', error, deliveries);
        return;
      }
      const handling = this.runHandler(decoded.event, { id: entry.id, stream: options.stream, deliveries });
      this.handlers.add(handling);
      const outcome = await handling.finally(() => this.handlers.delete(handling));
      if (!outcome.ok) {
        await this.handlerFailed(entry, deliveries, outcome.error);
        return;
      }
      metrics.processed();
      this.lastErrors.delete(entry.id);
      this.transient.delete(entry.id);
      await this.ack(entry.id);
    } catch (error) {
      metrics.ackError();
      this.context.logger.warn({ err: error, id: entry.id }, 'acknowledging an entry failed; it stays pending and comes back');
      this.context.onError(error);
    }
  }

  /** Resolves once every handler running now has settled (acks and dead-letter writes may still be under way). */
  async handlersSettled(): Promise<void> {
    await Promise.allSettled([...this.handlers]);
  }

  private async runHandler(event: CloudEvent, entry: ConsumerEntry): Promise<{ ok: true } | { ok: false; error: unknown }> {
    const stopTimer = this.context.metrics.startHandlerTimer();
    try {
      await this.context.options.handler(event, entry);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      stopTimer();
    }
  }

  private async ack(id: string): Promise<void> {
    if (!this.context.options.noAck) await this.acks.ack(id);
  }

  private async handlerFailed(entry: RawStreamEntry, deliveries: number, error: unknown): Promise<void> {
    const message = errorMessage(error);
    this.context.metrics.failed();
    this.context.logger.warn({ id: entry.id, deliveries, error: message }, 'event handler failed');
    if (this.context.options.noAck) return;
    if (isTransientRedisError(error)) {
      // Redis was away, not the event at fault: it stays pending and is retried, however often.
      if (this.transient.size >= MAX_REMEMBERED_ERRORS) this.transient.delete(this.transient.values().next().value as string);
      this.transient.add(entry.id);
      return;
    }
    this.transient.delete(entry.id);
    if (deliveries >= this.context.options.maxDeliveries) {
      await this.deadLetter(entry, 'max-deliveries', message, deliveries);
      return;
    }
    if (this.lastErrors.size >= MAX_REMEMBERED_ERRORS) this.lastErrors.delete(this.lastErrors.keys().next().value as string);
    this.lastErrors.set(entry.id, message);
  }

  /**
   * An entry that failed decoding or validation, or whose type the stream does not carry:
   * dead-letter it, or drop it when `deadLetterInvalid` is off.
   */
  private async refuse(entry: RawStreamEntry, reason: string, deliveries: number): Promise<void> {
    this.context.logger.warn({ id: entry.id, reason }, 'invalid stream entry');
    if (this.context.options.deadLetterInvalid) {
      await this.deadLetter(entry, 'invalid', reason, deliveries);
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
  private async deadLetter(entry: RawStreamEntry, reason: DeadLetterReason, error: string, deliveries: number): Promise<void> {
    const { options, metrics, logger, dlqKey } = this.context;
    const notice = { stream: options.stream, id: entry.id, group: options.group, reason, error, deliveries };
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
