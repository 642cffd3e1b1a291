/** Stable codes of {@link ConsumerGroupRunnerError}. */
export type ConsumerGroupRunnerErrorCode =
  /** An option is out of range; thrown by the constructor. */
  | 'ERR_RUNNER_OPTIONS'
  /** XGROUP CREATE failed for another reason than BUSYGROUP (e.g. WRONGTYPE, NOPERM). */
  | 'ERR_RUNNER_GROUP_CREATE'
  /** The operation needs a stopped runner (deleteConsumer/destroyGroup) or a fresh one (start after stop). */
  | 'ERR_RUNNER_STATE'
  /** An XREADGROUP got no reply within its BLOCK time plus `readTimeoutMs`: Redis hangs (emitted as `error`, then retried). */
  | 'ERR_RUNNER_READ_TIMEOUT';

/** An error of the consumer-group runner; test `code`, not the message. */
export class ConsumerGroupRunnerError extends Error {
  constructor(
    /** Stable code callers test. */
    readonly code: ConsumerGroupRunnerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConsumerGroupRunnerError';
  }
}
