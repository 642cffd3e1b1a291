import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logging/logger';
import { backoffDelay, type BackoffOptions } from './backoff-delay';

/** Options of {@link runPeriodicTask}. */
export interface PeriodicTaskOptions {
  /** Name for logs, e.g. `retention-purge`. */
  name: string;
  /** Pause between the end of a good pass and the start of the next. */
  intervalMs: number;
  /**
   * The work of one pass. A thrown error fails the pass, not the loop. Resolving `'done'`
   * ends the loop: a task that retries until it succeeds once (a start-up).
   */
  task: (signal: AbortSignal) => Promise<void | 'done'>;
  /** Stops the loop (the current pass finishes first). */
  signal: AbortSignal;
  logger: Logger;
  /**
   * Pauses after consecutive failed passes: {@link backoffDelay} from `baseMs` (default twice
   * `intervalMs`) up to `maxMs` (default 60 s), without jitter unless set.
   */
  backoff?: Partial<BackoffOptions>;
  /** Called after every failed pass: count it in a metric. */
  onFailure?: (error: unknown) => void;
  /** Run the first pass at once (default true) or after one interval. */
  immediate?: boolean;
}

/**
 * The services' one loop for tickers, pollers and retries: runs `task` every `intervalMs`
 * until `signal` aborts or the task says it is done. A failed pass is counted through
 * `onFailure`, logged once when the passes start failing and once when they recover, and
 * followed by a growing pause. Its timers never keep the process alive. Resolves when the
 * loop has stopped.
 */
export async function runPeriodicTask(options: PeriodicTaskOptions): Promise<void> {
  const { name, intervalMs, task, signal, logger } = options;
  const backoff: BackoffOptions = { baseMs: 2 * intervalMs, maxMs: 60_000, ...options.backoff };
  let failures = 0;
  let first = options.immediate ?? true;
  while (!signal.aborted) {
    if (!first) {
      const pause = failures === 0 ? intervalMs : backoffDelay(failures - 1, backoff);
      try {
        await delay(pause, undefined, { signal, ref: false });
      } catch {
        break;
      }
    }
    first = false;
    try {
      const outcome = await task(signal);
      if (failures > 0) logger.info({ task: name, failures }, `${name} recovered`);
      failures = 0;
      if (outcome === 'done') return;
    } catch (error) {
      if (signal.aborted) break;
      if (failures === 0) logger.warn({ err: error, task: name }, `${name} failed; retrying with backoff`);
      failures++;
      options.onFailure?.(error);
    }
  }
}
