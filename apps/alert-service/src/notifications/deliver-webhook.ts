import { notificationBody } from './formats';
import { parseRetryAfter } from './retry-after';
import { WebhookDeliveryError } from './webhook-delivery-error';
import type { WebhookPayload } from './webhook-payload';
import { signWebhookPayload, WEBHOOK_HEADERS } from './webhook-signature';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookTarget } from './webhook-target';

/** The `fetch` a delivery uses (the global one unless a test injects another). */
export type FetchFunction = typeof fetch;

/** Input of {@link deliverWebhook}. */
export interface DeliverWebhookInput {
  target: WebhookTarget;
  payload: WebhookPayload;
  /** Delivery id, sent as `x-rebal-delivery`. */
  deliveryId: string;
  /** Attempt number, 1 for the first try. */
  attempt: number;
  /** HTTP client (default the global `fetch`). */
  fetch?: FetchFunction;
  /** Current time in epoch ms, for the signed timestamp and `Retry-After` dates (default `Date.now()`). */
  nowMs?: number;
}

/** What a successful delivery got back. */
export interface WebhookDeliveryResult {
  /** The 2xx status the receiver answered. */
  status: number;
}

/** Socket-level error code (`ECONNREFUSED`, `UND_ERR_SOCKET`...) of a failed fetch, if any. */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Maps a non-2xx response to the error that says whether to retry. */
function responseError(target: string, response: Response, nowMs: number): WebhookDeliveryError {
  const { status } = response;
  if (status >= 500) {
    const retryAfterMs = status === 503 ? parseRetryAfter(response.headers.get('retry-after'), nowMs) : undefined;
    return new WebhookDeliveryError({ target, reason: 'http_5xx', status, retryable: true, retryAfterMs });
  }
  if (status >= 400) {
    // 408 Request Timeout and 429 Too Many Requests say "try again later"; other 4xx will not change.
    const retryable = status === 408 || status === 429;
    const retryAfterMs = status === 429 ? parseRetryAfter(response.headers.get('retry-after'), nowMs) : undefined;
    return new WebhookDeliveryError({ target, reason: 'http_4xx', status, retryable, retryAfterMs });
  }
  // 1xx never surfaces from fetch; 3xx: redirects are not followed (the URL is configuration).
  return new WebhookDeliveryError({ target, reason: 'http_3xx', status, retryable: false, detail: 'redirects are not followed' });
}

/**
 * POSTs one delivery: the JSON body of the target's format (`generic`: `{type, alert, actor,
 * at}`; see `notificationBody`) with `content-type`, `x-rebal-event`, `x-rebal-delivery`,
 * `x-rebal-attempt`, `x-rebal-timestamp` and, when the target has a secret (only `generic` and
 * `alertmanager` targets may), `x-rebal-signature` over that body (see `signWebhookPayload`).
 * Redirects are not followed; the attempt is aborted after the target's `timeoutMs`.
 * @throws WebhookDeliveryError for any non-2xx answer, network error or timeout
 */
export async function deliverWebhook(input: DeliverWebhookInput): Promise<WebhookDeliveryResult> {
  const { target, payload, deliveryId, attempt } = input;
  const nowMs = input.nowMs ?? Date.now();
  const body = JSON.stringify(notificationBody(target, payload));
  const timestamp = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'rebal-alert-service',
    [WEBHOOK_HEADERS.event]: payload.type,
    [WEBHOOK_HEADERS.delivery]: deliveryId,
    [WEBHOOK_HEADERS.attempt]: String(attempt),
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
  };
  if (target.secret) headers[WEBHOOK_HEADERS.signature] = signWebhookPayload(target.secret, timestamp, body);
  const doFetch = input.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(target.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS),
    });
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    if (name === 'TimeoutError') {
      throw new WebhookDeliveryError({ target: target.name, reason: 'timeout', retryable: true });
    }
    // Keep only the error code: the message is stored in Redis and logged, and must never carry the URL.
    const detail = errorCode(error) ?? (typeof name === 'string' ? name : undefined);
    throw new WebhookDeliveryError({ target: target.name, reason: 'network', retryable: true, detail });
  }
  // The answer's body is not used; release the connection without reading it.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { status: response.status };
  throw responseError(target.name, response, nowMs);
}
