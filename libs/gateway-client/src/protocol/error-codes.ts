/**
 * The closed list of `code` values of `error` frames. Clients switch on the code, never on the
 * message. Adding a code is a protocol change: update docs/protocol.md and docs/asyncapi.yaml.
 */
export const ServerErrorCode = {
  /** The frame is not valid JSON (or not UTF-8 text). */
  InvalidJson: 'invalid_json',
  /** A binary WebSocket frame: the protocol is JSON text frames only. */
  BinaryNotSupported: 'binary_not_supported',
  /** The frame is larger than the inbound limit (default 64 KiB). */
  FrameTooLarge: 'frame_too_large',
  /** Valid JSON, but not an object, or a field is missing or invalid (the message names it). */
  InvalidFrame: 'invalid_frame',
  /** `op` is a string but not an operation this protocol knows. */
  UnknownOp: 'unknown_op',
  /** An operation other than `auth`/`ping` before the connection authenticated. */
  NotAuthenticated: 'not_authenticated',
  /** The token was refused (malformed, bad signature, wrong audience or issuer, no `channels` claim...). */
  AuthFailed: 'auth_failed',
  /** The token's `exp` has passed. */
  TokenExpired: 'token_expired',
  /** A refresh token names another `sub` than the connection's: refused, the old grants stay. */
  SubjectMismatch: 'subject_mismatch',
  /** A channel name is malformed (the frame's `channel` field names it). */
  InvalidChannel: 'invalid_channel',
  /** A channel names a stream that does not exist. */
  UnknownChannel: 'unknown_channel',
  /** The token's grants do not cover the channel. */
  NotGranted: 'not_granted',
  /** The subscription would exceed the per-connection limit (default 100 channels). */
  TooManySubscriptions: 'too_many_subscriptions',
  /** Too many frames: the operation was dropped; retry after `retryAfterMs`. */
  RateLimited: 'rate_limited',
  /** A dependency of the gateway (Redis, the JWKS endpoint) is unreachable: retry later. */
  Unavailable: 'unavailable',
  /** An unexpected server failure; the operation may be retried. */
  InternalError: 'internal_error',
} as const;

/** One of the {@link ServerErrorCode} values. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** Every error code, in declaration order. */
export const SERVER_ERROR_CODES: readonly ServerErrorCode[] = Object.values(ServerErrorCode);

const CODE_SET: ReadonlySet<string> = new Set(SERVER_ERROR_CODES);

/** Whether `value` is one of the {@link ServerErrorCode} values. */
export function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}
