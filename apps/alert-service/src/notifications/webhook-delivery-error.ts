/**
 * Why one delivery attempt failed: the response class (`http_3xx`: redirects are not
 * followed, `http_4xx`, `http_5xx`), `network` (refused, reset, DNS...) or `timeout`.
 */
export type DeliveryFailureReason = 'http_3xx' | 'http_4xx' | 'http_5xx' | 'network' | 'timeout';

/** What {@link WebhookDeliveryError} is built from. */
export interface WebhookDeliveryErrorInit {
  /** Target name (never its URL). */
  target: string;
  reason: DeliveryFailureReason;
  /** HTTP status, when the receiver answered. */
  status?: number;
  /** Whether a later attempt may succeed: 408, 429, 5xx, network and timeout. */
  retryable: boolean;
  /** Wait the receiver asked for with `Retry-After` (429, 503), in ms. */
  retryAfterMs?: number;
  /** Short detail, e.g. a socket error code; must not contain secrets or the URL. */
  detail?: string;
}

/**
 * One failed webhook delivery attempt. The message holds only the target name, the status or
 * error code, never the URL (it may carry a token) nor the secret, because BullMQ stores it
 * in Redis as the job's `failedReason`. Callers test `code` and `reason`, not the message.
 */
export class WebhookDeliveryError extends Error {
  /** Stable code of every delivery failure. */
  readonly code = 'ERR_WEBHOOK_DELIVERY';
  readonly target: string;
  readonly reason: DeliveryFailureReason;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  /** @param init what failed and whether to retry */
  constructor(init: WebhookDeliveryErrorInit) {
    const what = init.status !== undefined ? `HTTP ${init.status}` : init.reason;
    super(`webhook ${init.target}: ${what}${init.detail ? ` (${init.detail})` : ''}`);
    this.name = 'WebhookDeliveryError';
    this.target = init.target;
    this.reason = init.reason;
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}
