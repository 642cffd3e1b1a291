/**
 * The `code` values of the gateway's `error` frames (docs/protocol.md, "Error codes"). Switch
 * on the code, never on the message.
 */
export const ServerErrorCode = {
  /** The frame was not valid JSON. */
  InvalidJson: 'invalid_json',
  /** A binary frame was sent. */
  BinaryNotSupported: 'binary_not_supported',
  /** The frame exceeded `maxFrameBytes`. */
  FrameTooLarge: 'frame_too_large',
  /** A missing or invalid field. */
  InvalidFrame: 'invalid_frame',
  /** An unknown `op`. */
  UnknownOp: 'unknown_op',
  /** An operation before `auth` succeeded. */
  NotAuthenticated: 'not_authenticated',
  /** The token was refused. */
  AuthFailed: 'auth_failed',
  /** The token's `exp` has passed. */
  TokenExpired: 'token_expired',
  /** A refresh token named another `sub`. */
  SubjectMismatch: 'subject_mismatch',
  /** A malformed channel name (`channel` names it). */
  InvalidChannel: 'invalid_channel',
  /** A channel of an unknown stream (`channel` names it). */
  UnknownChannel: 'unknown_channel',
  /** The token does not grant the channel (`channel` names it). */
  NotGranted: 'not_granted',
  /** The per-connection subscription limit would be exceeded. */
  TooManySubscriptions: 'too_many_subscriptions',
  /** Too many frames: retry after `retryAfterMs`. */
  RateLimited: 'rate_limited',
  /** A dependency of the gateway is unreachable: retry with backoff. */
  Unavailable: 'unavailable',
  /** An unexpected server failure: retry with backoff. */
  InternalError: 'internal_error',
} as const;

/** One of the {@link ServerErrorCode} values. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];
