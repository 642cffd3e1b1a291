import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions, type KeepJobs } from 'bullmq';
import { runPeriodicTask, type Logger } from '@rebal/redis-client';
import type { AlertChange } from '../alerts';
import { deliverWebhook } from './deliver-webhook';
import { DeliveryRefusedError } from './delivery-refused-error';
import { checkAlertRef, deliveryId, deliveryTarget, snoozeExpiryJobId } from './delivery-id';
import { notificationRetryDelay } from './notification-backoff';
import { NotificationDispatcherError } from './notification-dispatcher-error';
import { resolveDispatcherOptions, type KeepJobsOptions, type NotificationDispatcherOptions, type ResolvedDispatcherOptions } from './notification-dispatcher-options';
import type { DeliveryJobData, FailedDelivery, SnoozeExpiryJobData } from './notification-job-data';
import { notificationMetrics, QUEUE_DEPTH_STATES, type NotificationMetrics } from './notification-metrics';
import { WebhookDeliveryError } from './webhook-delivery-error';
import { webhookPayload } from './webhook-payload';

/** Name of the custom BullMQ backoff strategy of both workers. */
const BACKOFF_TYPE = 'rebal-full-jitter';

/** Queue depth by state, as last read. */
export type QueueDepth = Record<(typeof QUEUE_DEPTH_STATES)[number], number>;

function keepJobs(keep: Required<KeepJobsOptions>): KeepJobs {
  return { age: Math.ceil(keep.ageMs / 1000), count: keep.count };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends alert changes to webhook targets through BullMQ, and runs snooze expiries.
 *
 * - `notify(change)` enqueues one job per target whose severities include the alert's; the
 *   job id and deduplication id are the delivery id `<alertId>:<version>:<target>`, so a
 *   change notified twice (a redelivered stream entry, a retried commit) is delivered once
 *   for as long as `dedupWindowMs` (default 7 days), long after its job was removed.
 * - Workers POST the change (see `deliverWebhook`) with the target's current URL, if the
 *   target still takes the alert's severity. 2xx: done. 408, 429, 5xx, network errors and
 *   timeouts: retried up to `attempts` times with exponential backoff and full jitter, or
 *   after the receiver's `Retry-After` (429, 503) when it sends one. Other 4xx and 3xx: failed
 *   at once (BullMQ `UnrecoverableError`). Failed jobs are kept (`keepFailed`) and listed by
 *   `failedJobs()`.
 * - A run whose worker dies or loses its lock (a stall) is run again by another worker, and
 *   counts as one of the `attempts`: every run, stalled or failed, uses one, so a delivery
 *   gives up after `attempts` runs whatever ended them, and is counted as `exhausted`.
 * - `scheduleSnoozeExpiry` adds a delayed job that calls `onSnoozeExpired(alertId, version)`.
 *
 * Deliveries are at-least-once: a receiver that answered 2xx to a request whose answer was
 * lost gets it again, with the same `x-rebal-delivery`. Whether a change should be notified
 * at all (silences, rate limits) is the caller's decision.
 */
export class NotificationDispatcher {
  private readonly options: ResolvedDispatcherOptions;
  private readonly metrics: NotificationMetrics;
  private readonly queue: Queue<DeliveryJobData>;
  private readonly snoozeQueue: Queue<SnoozeExpiryJobData>;
  private readonly stopPolling = new AbortController();
  private polling: Promise<void> | undefined;
  private workers: Worker[] = [];
  private started: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  /**
   * @param options connection, targets, snooze callback and tuning; see {@link NotificationDispatcherOptions}
   * @throws NotificationDispatcherError (`ERR_NOTIFICATION_OPTIONS`) or WebhookConfigError for bad options
   */
  constructor(options: NotificationDispatcherOptions) {
    this.options = resolveDispatcherOptions(options);
    const { connection, prefix, queueName, snoozeQueueName, logger } = this.options;
    this.metrics = notificationMetrics(this.options.registry);
    this.queue = new Queue<DeliveryJobData>(queueName, { connection, prefix });
    this.snoozeQueue = new Queue<SnoozeExpiryJobData>(snoozeQueueName, { connection, prefix });
    for (const queue of [this.queue, this.snoozeQueue]) {
      queue.on('error', (error) => logger.warn({ queue: queue.name, reason: error.message }, 'notification queue error'));
    }
  }

  /**
   * Enqueues the deliveries of one alert change: one per target whose severities include
   * the alert's. Safe to call again for the same change (nothing new is enqueued).
   * Resolves with the delivery ids, once they are stored in Redis.
   * @throws NotificationDispatcherError `ERR_NOTIFICATION_INVALID_INPUT` for an unusable alert id or version, `ERR_NOTIFICATION_CLOSED` after `close()`
   */
  async notify(change: AlertChange): Promise<string[]> {
    this.assertOpen();
    const { alert } = change;
    checkAlertRef(alert.id, alert.version);
    const payload = webhookPayload(change);
    const jobs = [...this.options.targets.values()]
      .filter((target) => target.severities.includes(alert.severity))
      .map((target) => {
        const id = deliveryId(alert.id, alert.version, target.name);
        const opts: JobsOptions = {
          ...this.jobOptions(id),
          deduplication: { id, ttl: this.options.dedupWindowMs },
        };
        return { name: 'webhook', data: { targetName: target.name, severity: alert.severity, payload }, opts };
      });
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return jobs.map((job) => job.opts.jobId as string);
  }

  /**
   * Schedules `onSnoozeExpired(alertId, version)` for `untilMs` (at once if it has passed).
   * Idempotent per (alert, version) while the job exists; the callback must check the
   * version anyway, which also makes cancelling unnecessary.
   * @throws NotificationDispatcherError `ERR_NOTIFICATION_INVALID_INPUT`, `ERR_NOTIFICATION_CLOSED`
   */
  async scheduleSnoozeExpiry(alertId: string, untilMs: number, version: number): Promise<void> {
    this.assertOpen();
    checkAlertRef(alertId, version);
    if (!Number.isFinite(untilMs)) {
      throw new NotificationDispatcherError('ERR_NOTIFICATION_INVALID_INPUT', `untilMs must be a time in epoch ms, got ${untilMs}`);
    }
    const delay = Math.max(0, Math.ceil(untilMs - Date.now()));
    await this.snoozeQueue.add('snooze-expiry', { alertId, version, untilMs }, { ...this.jobOptions(snoozeExpiryJobId(alertId, version)), delay });
  }

  /**
   * Starts the delivery and snooze workers and the queue depth refresh. Resolves once the
   * workers are connected (while Redis is unreachable, it waits). Idempotent.
   * @throws NotificationDispatcherError `ERR_NOTIFICATION_CLOSED` after `close()`
   */
  async start(): Promise<void> {
    this.assertOpen();
    this.started ??= this.startWorkers();
    return this.started;
  }

  /**
   * Stops the workers (deliveries in flight finish first), the queue depth refresh and the
   * queues. Every step runs even when one fails. Idempotent. Does not close the connection.
   * @throws NotificationDispatcherError `ERR_NOTIFICATION_CLOSE` listing the failed steps' errors
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  /** Reads the delivery queue's job counts and updates `rebal_alert_notification_queue_depth`. */
  async refreshQueueDepth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts(...QUEUE_DEPTH_STATES);
    const depth = Object.fromEntries(QUEUE_DEPTH_STATES.map((state) => [state, counts[state] ?? 0])) as QueueDepth;
    for (const state of QUEUE_DEPTH_STATES) this.metrics.queueDepth.set({ state }, depth[state]);
    return depth;
  }

  /** The most recently failed deliveries, newest first (at most `limit`, default 50). */
  async failedJobs(limit = 50): Promise<FailedDelivery[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new NotificationDispatcherError('ERR_NOTIFICATION_INVALID_INPUT', `limit must be a whole number >= 1, got ${limit}`);
    }
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((job) => ({
      deliveryId: job.id ?? '',
      target: job.data.targetName,
      alertId: job.data.payload.alert.id,
      version: job.data.payload.alert.version,
      type: job.data.payload.type,
      severity: job.data.severity,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
      enqueuedAt: job.timestamp,
      failedAt: job.finishedOn,
    }));
  }

  private jobOptions(jobId: string): JobsOptions {
    const { attempts, keepCompleted, keepFailed } = this.options;
    return { jobId, attempts, backoff: { type: BACKOFF_TYPE }, removeOnComplete: keepJobs(keepCompleted), removeOnFail: keepJobs(keepFailed) };
  }

  private assertOpen(): void {
    if (this.closing) throw new NotificationDispatcherError('ERR_NOTIFICATION_CLOSED', 'the notification dispatcher is closed');
  }

  private startWorkers(): Promise<void> {
    const { connection, prefix, concurrency, queueName, snoozeQueueName, backoff, attempts, logger } = this.options;
    const settings = { backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => notificationRetryDelay(attemptsMade, error, backoff) };
    // Stalls count as attempts: BullMQ's default gives a job up at its second stall (after one
    // attempt of eight, uncounted). Here each run, stalled or not, uses one of the attempts.
    const runs = { maxStalledCount: attempts, maxStartedAttempts: attempts };
    const common = { connection, prefix, concurrency, settings, autorun: true, ...runs };
    const delivery = new Worker<DeliveryJobData>(queueName, (job) => this.deliver(job), common);
    delivery.on('failed', (job, error) => job && this.onDeliveryFailed(job, error));
    delivery.on('stalled', (jobId) => this.metrics.failed.inc({ target: deliveryTarget(jobId), reason: 'stalled' }));
    const snooze = new Worker<SnoozeExpiryJobData>(snoozeQueueName, (job) => this.expireSnooze(job), common);
    this.workers = [delivery, snooze];
    for (const worker of this.workers) {
      worker.on('error', (error) => logger.warn({ queue: worker.name, reason: error.message }, 'notification worker error'));
    }
    // After failures the refresh waits 2, 4, then 8 intervals: the depth is a gauge, not worth pressing Redis for.
    const intervalMs = this.options.queueDepthIntervalMs;
    this.polling = runPeriodicTask({
      name: 'notification queue depth refresh',
      intervalMs,
      backoff: { maxMs: 8 * intervalMs },
      signal: this.stopPolling.signal,
      logger,
      task: async () => void (await this.refreshQueueDepth()),
      onFailure: () => this.metrics.queueDepthFailures.inc(),
    });
    return Promise.all(this.workers.map((worker) => worker.waitUntilReady())).then(
      () => logger.info({ queue: queueName, targets: [...this.options.targets.keys()] }, 'notification workers started'),
      (error: unknown) => {
        // close() during start makes the workers' connections refuse; that is not a start failure.
        if (!this.closing) throw error;
      },
    );
  }

  /** Processor of delivery jobs: one attempt, with metrics. */
  private async deliver(job: Job<DeliveryJobData>): Promise<void> {
    const { targetName, severity, payload } = job.data;
    const { metrics, logger } = this;
    const target = this.options.targets.get(targetName);
    if (!target) {
      metrics.failed.inc({ target: targetName, reason: 'unknown_target' });
      throw new DeliveryRefusedError(`webhook ${targetName}: target is not configured`, 'unknown_target');
    }
    // The configuration of now decides, as it does for the URL: a target that dropped the
    // severity since the job was queued does not want it any more.
    if (!target.severities.includes(severity)) {
      metrics.failed.inc({ target: targetName, reason: 'not_subscribed' });
      throw new DeliveryRefusedError(`webhook ${targetName}: no longer takes ${severity} alerts`, 'not_subscribed');
    }
    const endTimer = metrics.duration.startTimer({ target: targetName });
    try {
      // Runs so far, this one included: a stalled run was an attempt too.
      const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
      const { status } = await deliverWebhook({ target, payload, deliveryId: job.id ?? '', attempt, fetch: this.options.fetch });
      endTimer({ outcome: 'sent' });
      metrics.sent.inc({ target: targetName, severity });
      logger.debug({ delivery: job.id, target: targetName, status, attempt }, 'webhook delivered');
    } catch (error) {
      endTimer({ outcome: 'failed' });
      const failure =
        error instanceof WebhookDeliveryError ? error : new WebhookDeliveryError({ target: targetName, reason: 'network', retryable: true, detail: 'unexpected error' });
      metrics.failed.inc({ target: targetName, reason: failure.reason });
      if (!failure.retryable) throw new DeliveryRefusedError(failure.message, failure.reason);
      throw failure;
    }
  }

  /**
   * Counts and logs a delivery that failed for good: out of attempts, or given up by BullMQ
   * because its runs (stalls included) used them all, is `exhausted`; a refusal was counted
   * with its reason when it happened. Retries are logged at debug level.
   */
  private onDeliveryFailed(job: Job<DeliveryJobData>, error: Error): void {
    const fields = { delivery: job.id, target: job.data.targetName, attempts: job.attemptsMade, runs: job.attemptsStarted, reason: error.message };
    if (error instanceof DeliveryRefusedError) {
      this.logger.warn(fields, 'webhook delivery refused, not retried');
      return;
    }
    if (!(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1)) {
      this.logger.debug(fields, 'webhook delivery failed, will retry');
      return;
    }
    this.metrics.failed.inc({ target: job.data.targetName, reason: 'exhausted' });
    this.logger.warn(fields, 'webhook delivery failed after all attempts');
  }

  /** Processor of snooze expiry jobs. */
  private async expireSnooze(job: Job<SnoozeExpiryJobData>): Promise<void> {
    const { alertId, version } = job.data;
    try {
      await this.options.onSnoozeExpired(alertId, version);
      this.metrics.snoozeExpiries.inc({ outcome: 'fired' });
      this.logger.debug({ alertId, version }, 'snooze expired');
    } catch (error) {
      this.metrics.snoozeExpiries.inc({ outcome: 'failed' });
      this.logger.warn({ alertId, version, attempt: job.attemptsMade + 1, reason: message(error) }, 'snooze expiry callback failed');
      throw error;
    }
  }

  private get logger(): Logger {
    return this.options.logger;
  }

  private async closeAll(): Promise<void> {
    const failures: unknown[] = [];
    const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
      try {
        await run();
      } catch (error) {
        failures.push(error);
        this.logger.error({ step: name, reason: message(error) }, 'notification dispatcher close step failed');
      }
    };
    this.stopPolling.abort();
    await step('queue depth refresh', async () => this.polling);
    await Promise.all(this.workers.map((worker) => step(`worker ${worker.name}`, () => worker.close())));
    await Promise.all([this.queue, this.snoozeQueue].map((queue) => step(`queue ${queue.name}`, () => queue.close())));
    if (failures.length > 0) {
      throw new NotificationDispatcherError('ERR_NOTIFICATION_CLOSE', `closing the notification dispatcher failed in ${failures.length} step(s)`, failures);
    }
    this.logger.info('notification dispatcher closed');
  }
}
