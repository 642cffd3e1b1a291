import type { Logger } from '@rebal/redis-client';
import type { Counter } from 'prom-client';

/** Options of {@link QueueDepthPoller}. */
export interface QueueDepthPollerOptions {
  /** One refresh pass (reads the counts and sets the gauge). */
  refresh: () => Promise<unknown>;
  /** Pause between passes in ms; after failures it doubles, up to 8 times this. */
  intervalMs: number;
  /** Counts failed passes. */
  failures: Counter<string>;
  logger: Logger;
}

/**
 * Runs `refresh` now and then every `intervalMs` until `stop()`. A failed pass is counted,
 * logged once per streak (and once on recovery), and followed by a longer pause; the loop
 * never dies. Its timer is unref'd so it never keeps the process alive.
 */
export class QueueDepthPoller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private failureStreak = 0;
  private pass: Promise<void> | undefined;

  /** @param options what to run and how often */
  constructor(private readonly options: QueueDepthPollerOptions) {}

  /** Starts the loop (runs a pass at once); a second call does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop and waits for a pass in flight; idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.pass = this.runPass();
    }, delayMs);
    this.timer.unref();
  }

  private async runPass(): Promise<void> {
    const { refresh, intervalMs, failures, logger } = this.options;
    try {
      await refresh();
      if (this.failureStreak > 0) logger.info({ failedPasses: this.failureStreak }, 'notification queue depth refresh recovered');
      this.failureStreak = 0;
    } catch (error) {
      failures.inc();
      if (this.failureStreak === 0) logger.warn({ reason: (error as Error).message }, 'notification queue depth refresh failed');
      this.failureStreak += 1;
    }
    this.schedule(intervalMs * Math.min(8, 2 ** this.failureStreak));
  }
}
