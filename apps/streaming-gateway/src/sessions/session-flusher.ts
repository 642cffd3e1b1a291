import { performance } from 'node:perf_hooks';
import { silentLogger, type Logger } from '@rebal/redis-client';
import type { GatewayMetrics } from '../metrics';
import type { SessionRecorder } from './session-recorder';
import type { SessionStore, SessionWrite, SessionWriteOutcome } from './session-store';

/** Options of {@link SessionFlusher}. */
export interface SessionFlusherOptions {
  /** Where sessions are written: its `saveMany` (pipelined) and `ttlMs`. */
  readonly store: Pick<SessionStore, 'saveMany' | 'ttlMs'>;
  /** Time between two flushes, ms (a positive integer). */
  readonly intervalMs: number;
  /** Gateway metrics: `sessionWriteFailures`, `sessionWrites`, `sessionFlushDuration`. */
  readonly metrics: Pick<GatewayMetrics, 'sessionWriteFailures' | 'sessionWrites' | 'sessionFlushDuration'>;
  /** Logger (default: silent). */
  readonly logger?: Logger;
  /** Clock, ms since the epoch, for TTL renewals (default `Date.now`). */
  readonly now?: () => number;
}

/** What one flush did. */
export interface SessionFlushReport {
  /** Recorders visited. */
  readonly recorders: number;
  /** Session writes sent. */
  readonly writes: number;
  /** Pipelines they took. */
  readonly pipelines: number;
  /** Writes that failed (retried at the next flush). */
  readonly failures: number;
}

/** Totals since the flusher was created, final writes included (for tests and diagnostics). */
export interface SessionFlusherStats {
  /** Flushes run. */
  readonly flushes: number;
  /** Recorders registered now. */
  readonly recorders: number;
  /** Session writes sent. */
  readonly writes: number;
  /** Pipelines sent. */
  readonly pipelines: number;
  /** Writes that failed. */
  readonly failures: number;
}

/** An option of `SessionFlusher` is invalid. */
export class SessionFlusherOptionsError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_SESSION_FLUSHER_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'SessionFlusherOptionsError';
  }
}

interface FinalWrite {
  readonly write: SessionWrite;
  readonly resolve: (outcome: SessionWriteOutcome) => void;
}

/**
 * Records the sessions of all the connections of a gateway with ONE timer: every
 * `intervalMs` it visits each registered {@link SessionRecorder}, which decides whether its
 * session needs a write (see there), and sends all the writes of the flush together,
 * pipelined in bounded chunks by {@link SessionStore.saveMany}. A flush that is still
 * writing when the timer fires again makes the timer skip that turn. Connections' final
 * writes (`SessionRecorder.stop`) do not wait for the timer: those made in the same turn of
 * the event loop (a gateway closing every connection) go out together right after it.
 * Failures are counted in `sessionWriteFailures` and logged when they start and stop.
 */
export class SessionFlusher {
  private readonly options: SessionFlusherOptions;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly recorders = new Set<SessionRecorder>();
  private readonly sending = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  /** The last flush asked for (never rejects). */
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private finals: FinalWrite[] = [];
  private finalsTimer?: NodeJS.Immediate;
  private failing = false;
  private stopping?: Promise<void>;
  private totals = { flushes: 0, writes: 0, pipelines: 0, failures: 0 };

  constructor(options: SessionFlusherOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1) {
      throw new SessionFlusherOptionsError(`intervalMs must be a positive whole number of ms (got ${String(options.intervalMs)})`);
    }
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.clock = options.now ?? Date.now;
  }

  /** After how long an unchanged session is written again to renew its TTL: a third of it, ms. */
  get renewAfterMs(): number {
    return this.options.store.ttlMs / 3;
  }

  /** The flusher's clock, ms since the epoch. */
  now(): number {
    return this.clock();
  }

  /** Starts the timer (idempotent; not after `stop()`). */
  start(): void {
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => {
      if (this.queued === 0) void this.flush();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Registers a recorder (its `start()` does). */
  add(recorder: SessionRecorder): void {
    this.recorders.add(recorder);
  }

  /** Unregisters a recorder (stopped or superseded). */
  remove(recorder: SessionRecorder): void {
    this.recorders.delete(recorder);
  }

  /** Runs one flush now, after any flush under way (the timer calls this); never rejects. */
  flush(): Promise<SessionFlushReport> {
    this.queued++;
    const run = this.tail
      .then(() => this.pass())
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'a session flush failed unexpectedly');
        return { recorders: 0, writes: 0, pipelines: 0, failures: 0 };
      })
      .finally(() => this.queued--);
    this.tail = run;
    return run;
  }

  /** Sends a final write with the next batch of them (right after this turn of the event loop); never rejects. */
  writeSoon(write: SessionWrite): Promise<SessionWriteOutcome> {
    return new Promise((resolve) => {
      this.finals.push({ write, resolve });
      this.finalsTimer ??= setImmediate(() => this.sendFinals());
    });
  }

  /** Totals so far. */
  stats(): SessionFlusherStats {
    return { ...this.totals, recorders: this.recorders.size };
  }

  /**
   * Stops the timer, then waits for the flush under way and for the final writes queued or
   * being sent (call it after the connections were closed, so their final writes are in).
   * Final writes requested later are still sent. Idempotent; never rejects.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.timer);
      this.timer = undefined;
      await this.tail;
      if (this.finalsTimer) {
        clearImmediate(this.finalsTimer);
        this.sendFinals();
      }
      await Promise.all([...this.sending]);
      this.logger.debug('session flusher stopped');
    })();
    return this.stopping;
  }

  private async pass(): Promise<SessionFlushReport> {
    const started = performance.now();
    const now = this.clock();
    const taken: { recorder: SessionRecorder; write: SessionWrite }[] = [];
    let visited = 0;
    let broken = 0;
    let firstError: unknown;
    for (const recorder of this.recorders) {
      visited++;
      try {
        const write = recorder.collect(now);
        if (write) taken.push({ recorder, write });
      } catch (error) {
        broken++;
        firstError ??= error;
      }
    }
    const { outcomes, pipelines, failures } = await this.send(
      taken.map(({ write }) => write),
      broken,
      firstError,
    );
    taken.forEach(({ recorder }, index) => recorder.settle(outcomes[index]));
    this.totals.flushes++;
    this.options.metrics.sessionFlushDuration.observe((performance.now() - started) / 1_000);
    return { recorders: visited, writes: taken.length, pipelines, failures };
  }

  private sendFinals(): void {
    this.finalsTimer = undefined;
    const batch = this.finals;
    this.finals = [];
    if (batch.length === 0) return;
    const sending = this.send(batch.map(({ write }) => write)).then(({ outcomes }) => {
      batch.forEach(({ resolve }, index) => resolve(outcomes[index]));
    });
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  /** Writes a batch; counts writes and failures (plus `broken` recorders that failed before writing) and logs state changes. */
  private async send(
    writes: readonly SessionWrite[],
    broken = 0,
    brokenError?: unknown,
  ): Promise<{ outcomes: readonly SessionWriteOutcome[]; pipelines: number; failures: number }> {
    let outcomes: readonly SessionWriteOutcome[] = [];
    let pipelines = 0;
    if (writes.length > 0) {
      try {
        ({ outcomes, pipelines } = await this.options.store.saveMany(writes));
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        outcomes = writes.map(() => failure);
      }
    }
    let failures = broken;
    let firstError = brokenError;
    for (const outcome of outcomes) {
      if (!(outcome instanceof Error)) continue;
      failures++;
      firstError ??= outcome;
    }
    const { metrics } = this.options;
    if (writes.length > 0) metrics.sessionWrites.inc(writes.length);
    if (failures > 0) metrics.sessionWriteFailures.inc(failures);
    this.totals.writes += writes.length;
    this.totals.pipelines += pipelines;
    this.totals.failures += failures;
    if (failures > 0 && !this.failing) {
      this.failing = true;
      this.logger.warn({ err: firstError, failures, writes: writes.length }, 'writing sessions failed; they are written again at the next flush');
    } else if (failures === 0 && writes.length > 0 && this.failing) {
      this.failing = false;
      this.logger.info('writing sessions works again');
    }
    return { outcomes, pipelines, failures };
  }
}
