import type { Logger } from 'pino';
import { setTimeout as delay } from 'node:timers/promises';

/** Options of {@link runPeriodicTask}. */
export interface PeriodicTaskOptions {
  /** Name for logs, e.g. `retention-purge`. */
  name: string;
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** The work of one pass. A thrown error fails the pass, not the loop. */
  task: (signal: AbortSignal) => Promise<void>;
  /** Stops the loop (the current pass finishes first). */
  signal: AbortSignal;
  logger: Logger;
  /** Longest pause after consecutive failures (default 60 s); pauses double from `intervalMs`. */
  maxBackoffMs?: number;
  /** Called after every failed pass, e.g. to count it in a metric. */
  onFailure?: (error: unknown) => void;
  /** Run the first pass at once (default true) or after one interval. */
  immediate?: boolean;
}

/**
 * Runs `task` every `intervalMs` until `signal` aborts. A failed pass is logged (once per
 * run of failures, then again when it recovers), counted through `onFailure`, and followed
 * by a doubling pause up to `maxBackoffMs`. Resolves when the loop has stopped.
 */
export async function runPeriodicTask(options: PeriodicTaskOptions): Promise<void> {
  const { name, intervalMs, task, signal, logger } = options;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  let failures = 0;
  let first = options.immediate ?? true;
  while (!signal.aborted) {
    if (!first) {
      const pause = failures === 0 ? intervalMs : Math.min(maxBackoffMs, intervalMs * 2 ** failures);
      try {
        await delay(pause, undefined, { signal });
      } catch {
        break;
      }
    }
    first = false;
    try {
      await task(signal);
      if (failures > 0) logger.info({ task: name, failures }, `${name} recovered`);
      failures = 0;
    } catch (error) {
      if (failures === 0) logger.warn({ err: error, task: name }, `${name} failed; retrying with backoff`);
      failures++;
      options.onFailure?.(error);
    }
  }
}
