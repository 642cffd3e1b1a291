/**
 * WebSocket close codes the gateway uses: standard ones (1xxx) and the application range
 * 4000-4999. Each has a short reason text (below the 123-byte close-reason limit) in
 * {@link CLOSE_REASONS}.
 */
export const CloseCode = {
  /** Normal closure: the client closed, or the server ended a finished connection. */
  Normal: 1000,
  /** The server is shutting down (deploy, scale-in): reconnect, to any replica, and resume. */
  GoingAway: 1001,
  /** A frame above the hard payload cap (`maxPayloadBytes`, set on `ws`); `ws` closes on its own. */
  MessageTooBig: 1009,
  /** An unexpected server failure: reconnect with backoff and resume. */
  InternalError: 1011,
  /** A dependency (Redis, the JWKS endpoint) is unreachable, e.g. during the first `auth`: reconnect with backoff. */
  TryAgainLater: 1013,
  /** The first `auth` (frame or `?token=`) was refused: fix the token before reconnecting. */
  AuthFailed: 4001,
  /** No successful `auth` within the auth timeout (default 5 s) after the connection opened. */
  AuthTimeout: 4002,
  /** The token expired and was not refreshed in time: get a new token, reconnect and resume. */
  TokenExpired: 4003,
  /** The client kept sending after being rate limited. */
  RateLimited: 4008,
  /** The client read too slowly: the server's send buffer for it passed the limit (default 1 MiB). */
  SlowConsumer: 4009,
} as const;

/** One of the {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason text sent with each close code. */
export const CLOSE_REASONS: Readonly<Record<CloseCode, string>> = {
  [CloseCode.Normal]: 'normal closure',
  [CloseCode.GoingAway]: 'server shutting down',
  [CloseCode.MessageTooBig]: 'frame too large',
  [CloseCode.InternalError]: 'internal error',
  [CloseCode.TryAgainLater]: 'try again later',
  [CloseCode.AuthFailed]: 'authentication failed',
  [CloseCode.AuthTimeout]: 'authentication timeout',
  [CloseCode.TokenExpired]: 'token expired',
  [CloseCode.RateLimited]: 'rate limit exceeded',
  [CloseCode.SlowConsumer]: 'slow consumer',
};
