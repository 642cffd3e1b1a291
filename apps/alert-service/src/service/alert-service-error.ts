/** Stable codes of {@link AlertServiceError}. */
export type AlertServiceErrorCode = 'ERR_ALERT_SERVICE_CLOSED' | 'ERR_ALERT_SERVICE_NOT_STARTED' | 'ERR_ALERT_SERVICE_CLOSE';

/** A misuse of the alert service's lifecycle, or a shutdown whose steps failed. Callers test `code`. */
export class AlertServiceError extends Error {
  /** Stable code (see {@link AlertServiceErrorCode}). */
  readonly code: AlertServiceErrorCode;

  /**
   * @param code stable code
   * @param message what went wrong
   * @param options the underlying error, if any
   */
  constructor(code: AlertServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertServiceError';
    this.code = code;
  }
}
