import type { Logger } from 'pino';

/** One named cleanup step of a shutdown. */
export type CloseStep = readonly [name: string, close: () => Promise<unknown> | unknown];

/**
 * Runs every step in order, also when an earlier one fails, logs each failure with its
 * step's name, and resolves with the failures (empty when all went well).
 */
export async function closeAll(steps: readonly CloseStep[], logger: Logger): Promise<Array<{ step: string; error: unknown }>> {
  const failures: Array<{ step: string; error: unknown }> = [];
  for (const [name, close] of steps) {
    try {
      await close();
    } catch (error) {
      failures.push({ step: name, error });
      logger.error({ err: error, step: name }, `shutdown step failed: ${name}`);
    }
  }
  return failures;
}
