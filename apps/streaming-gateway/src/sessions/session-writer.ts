import { silentLogger, type Logger } from '@rebal/redis-client';
import type { GatewayMetrics } from '../metrics';
import type { SessionStore, SessionWrite, SessionWriteOutcome } from './session-store';

/** Options of {@link SessionWriter}. */
export interface SessionWriterOptions {
  /** Where sessions are written (its pipelined `saveMany`). */
  readonly store: Pick<SessionStore, 'saveMany'>;
  /** Gateway metrics: `sessionWrites`, `sessionWriteFailures`. */
  readonly metrics: Pick<GatewayMetrics, 'sessionWrites' | 'sessionWriteFailures'>;
  /** Logger (default: silent). */
  readonly logger?: Logger;
}

/** Totals since the writer was created (for tests and diagnostics). */
export interface SessionWriterStats {
  /** Session writes sent. */
  readonly writes: number;
  /** Pipelines they took. */
  readonly pipelines: number;
  /** Writes that failed. */
  readonly failures: number;
  /** Writes waiting to be sent. */
  readonly queued: number;
}

/**
 * Sends the session writes of a gateway: one per change of a session (a connection
 * authenticated, subscribed, unsubscribed, refreshed its token) and one when its connection
 * closes, never on a timer. Writes made in one turn of the event loop go out together right
 * after it, pipelined by {@link SessionStore.saveMany} (one script call each, at most 500 per
 * pipeline, one pipeline per node of a Cluster); a session's writes reach Redis in the order
 * they were made (one connection, pipelines in order); many connections closing at once (a
 * shutdown) leave their sessions in a few pipelines. A failed write is counted in `sessionWriteFailures` and logged when
 * failures start and stop; the next write of the session (at the latest its close) writes it
 * whole again.
 */
export class SessionWriter {
  private readonly options: SessionWriterOptions;
  private readonly logger: Logger;
  private queue: SessionWrite[] = [];
  private done: Array<() => void> = [];
  private scheduled?: NodeJS.Immediate;
  private readonly sending = new Set<Promise<void>>();
  private failing = false;
  private totals = { writes: 0, pipelines: 0, failures: 0 };

  constructor(options: SessionWriterOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger();
  }

  /**
   * Queues a write, sent right after this turn of the event loop; resolves once Redis
   * answered it (or it failed: failures are counted and logged here, so the caller has nothing
   * to handle). Never rejects.
   */
  write(write: SessionWrite): Promise<void> {
    this.queue.push(write);
    this.scheduled ??= setImmediate(() => void this.send());
    return new Promise((resolve) => this.done.push(resolve));
  }

  /** Sends every queued write and resolves when every write sent so far has been answered (or failed). Never rejects. */
  async flush(): Promise<void> {
    await this.send();
    await Promise.all([...this.sending]);
  }

  /** Totals so far. */
  stats(): SessionWriterStats {
    return { ...this.totals, queued: this.queue.length };
  }

  private send(): Promise<void> {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    const done = this.done;
    if (batch.length === 0) return Promise.resolve();
    this.queue = [];
    this.done = [];
    const sending = this.sendBatch(batch).finally(() => {
      for (const resolve of done) resolve();
    });
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
    return sending;
  }

  private async sendBatch(writes: readonly SessionWrite[]): Promise<void> {
    let outcomes: readonly SessionWriteOutcome[];
    let pipelines = 0;
    try {
      ({ outcomes, pipelines } = await this.options.store.saveMany(writes));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      outcomes = writes.map(() => failure);
    }
    let failures = 0;
    let firstError: Error | undefined;
    for (const outcome of outcomes) {
      if (!(outcome instanceof Error)) continue;
      failures++;
      firstError ??= outcome;
    }
    const { metrics } = this.options;
    metrics.sessionWrites.inc(writes.length);
    if (failures > 0) metrics.sessionWriteFailures.inc(failures);
    this.totals.writes += writes.length;
    this.totals.pipelines += pipelines;
    this.totals.failures += failures;
    if (failures > 0 && !this.failing) {
      this.failing = true;
      this.logger.warn({ err: firstError, failures, writes: writes.length }, 'writing sessions failed; each is written whole again at its next change or when its connection closes');
    } else if (failures === 0 && this.failing) {
      this.failing = false;
      this.logger.info('writing sessions works again');
    }
  }
}
