import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a webhook delivery (lower case, as Node's `http` presents them). */
export const WEBHOOK_HEADERS = {
  /** The alert event type, e.g. `alert.raised`. */
  event: 'x-rebal-event',
  /** The delivery id `<alertId>:<version>:<target>`: the same on every retry; receivers dedupe on it. */
  delivery: 'x-rebal-delivery',
  /** Unix time in seconds when this attempt was signed; part of the signed text. */
  timestamp: 'x-rebal-timestamp',
  /** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, only when the target has a secret. */
  signature: 'x-rebal-signature',
  /** Attempt number, 1 for the first try. */
  attempt: 'x-rebal-attempt',
} as const;

/** How old a signed timestamp {@link verifyWebhookSignature} accepts by default: 5 minutes. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The `x-rebal-signature` value for a body: `sha256=` + hex HMAC-SHA256 keyed with the
 * target's secret over `<timestamp>.<body>` (the timestamp header, a dot, the exact body
 * bytes). Signing the timestamp lets receivers refuse replays of old deliveries.
 */
export function signWebhookPayload(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Input of {@link verifyWebhookSignature}: what a receiver got. */
export interface VerifyWebhookSignatureInput {
  /** The shared secret. */
  secret: string;
  /** The raw request body, exactly as received. */
  body: string;
  /** The `x-rebal-timestamp` header. */
  timestamp: string | undefined;
  /** The `x-rebal-signature` header. */
  signature: string | undefined;
  /** Largest accepted age (or clock skew) of the timestamp, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Current time in epoch ms (default `Date.now()`). */
  nowMs?: number;
}

/**
 * Checks a delivery as a receiver would: the signature matches `<timestamp>.<body>` (compared
 * in constant time) and the timestamp is within the tolerance of now. Returns false rather
 * than throwing for anything missing or malformed.
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): boolean {
  const { secret, body, timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const tolerance = input.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(signWebhookPayload(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
