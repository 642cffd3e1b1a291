/**
 * Stable codes of {@link NotificationDispatcherError}:
 * - `ERR_NOTIFICATION_OPTIONS`: a constructor option is invalid.
 * - `ERR_NOTIFICATION_INVALID_INPUT`: `notify` / `scheduleSnoozeExpiry` got an unusable alert id, version or time.
 * - `ERR_NOTIFICATION_CLOSED`: the dispatcher was used after `close()`.
 * - `ERR_NOTIFICATION_CLOSE`: one or more steps of `close()` failed (see `causes`).
 */
export type NotificationDispatcherErrorCode =
  | 'ERR_NOTIFICATION_OPTIONS'
  | 'ERR_NOTIFICATION_INVALID_INPUT'
  | 'ERR_NOTIFICATION_CLOSED'
  | 'ERR_NOTIFICATION_CLOSE';

/** An error of the notification dispatcher itself (not of a delivery). Callers test `code`. */
export class NotificationDispatcherError extends Error {
  /** Stable code, see {@link NotificationDispatcherErrorCode}. */
  readonly code: NotificationDispatcherErrorCode;
  /** For `ERR_NOTIFICATION_CLOSE`: the error of each failed step. */
  readonly causes: readonly unknown[];

  /**
   * @param code stable code
   * @param message what is wrong and what was expected
   * @param causes underlying errors (close failures)
   */
  constructor(code: NotificationDispatcherErrorCode, message: string, causes: readonly unknown[] = []) {
    super(message);
    this.name = 'NotificationDispatcherError';
    this.code = code;
    this.causes = causes;
  }
}
