import type { FrameError } from './frame-error';
import type { ServerFrame } from '@rebal/gateway-client';

/** Serializes any server frame to the JSON text sent on the socket. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** Input of {@link encodeEvent}. */
export interface EncodeEventInput {
  /** The channel the frame is delivered on. */
  readonly channel: string;
  /** The stream's logical name. */
  readonly stream: string;
  /** The stream entry id. */
  readonly id: string;
  /** The CloudEvent, already serialized with `JSON.stringify` (once per event, by the caller). */
  readonly eventJson: string;
}

/**
 * Builds an `event` frame around an already serialized CloudEvent, without parsing or
 * re-serializing it: the fan-out serializes each event once, encodes once per matching
 * channel (at most two), and sends the same string to every subscriber of that channel.
 * The result equals `JSON.stringify({ type: 'event', channel, stream, id, event })`.
 * `eventJson` is trusted to be valid JSON.
 */
export function encodeEvent(input: EncodeEventInput): string {
  return (
    `{"type":"event","channel":${JSON.stringify(input.channel)},"stream":${JSON.stringify(input.stream)},` +
    `"id":${JSON.stringify(input.id)},"event":${input.eventJson}}`
  );
}

/** Serializes an `error` frame for a refused frame or failed operation; `retryAfterMs` for `rate_limited`. */
export function encodeError(error: FrameError & { readonly retryAfterMs?: number }): string {
  return encodeFrame({
    type: 'error',
    id: error.id,
    code: error.code,
    message: error.message,
    channel: error.channel,
    retryAfterMs: error.retryAfterMs,
  });
}
