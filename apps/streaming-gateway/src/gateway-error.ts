/** Stable codes of {@link GatewayError}. */
export type GatewayErrorCode = 'ERR_GATEWAY_NOT_STARTED' | 'ERR_GATEWAY_CLOSED' | 'ERR_GATEWAY_CLOSE';

/** A misuse of the gateway's lifecycle, or a shutdown with failed steps. */
export class GatewayError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }
}
