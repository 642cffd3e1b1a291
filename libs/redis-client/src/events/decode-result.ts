import type { CloudEvent } from './cloud-event';

/**
 * Outcome of decoding or validating an event: the event, or why it was refused (a short,
 * human-readable reason that goes into the dead-letter stream as `dlq_error`).
 */
export type DecodeResult<T = unknown> = { ok: true; event: CloudEvent<T> } | { ok: false; reason: string };
