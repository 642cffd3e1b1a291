/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** How long to keep polling before rejecting (default 10 s). */
  timeoutMs?: number;
  /** Pause between two probes (default 25 ms). */
  intervalMs?: number;
  /**
   * What the rejection says was not met (default `condition not met`); a function is called
   * only on failure, so it can describe the last state seen.
   */
  message?: string | (() => string);
}

/**
 * Polls `probe` until it returns a truthy value (or stops throwing) and resolves with it;
 * rejects with the last failure once `timeoutMs` has passed. Tests use this instead of
 * fixed sleeps: they wait exactly as long as the condition takes, up to a deadline.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25, message }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      const what = typeof message === 'function' ? message() : (message ?? 'condition not met');
      throw new Error(`${what} within ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
