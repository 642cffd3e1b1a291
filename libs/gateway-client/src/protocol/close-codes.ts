/**
 * WebSocket close codes of the gateway's protocol (docs/protocol.md, "Close codes"): standard
 * ones (1xxx) and the application range 4000-4999. Decide on the code, never on the reason.
 */
export const GatewayCloseCode = {
  /** Normal closure: the client closed, or the server ended a finished connection. */
  Normal: 1000,
  /** The server is shutting down (deploy, scale-in): reconnect, to any replica, and resume. */
  GoingAway: 1001,
  /** No close frame: the connection died (the server never sends it). Reconnect with backoff. */
  Abnormal: 1006,
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

/** One of the {@link GatewayCloseCode} values. */
export type GatewayCloseCode = (typeof GatewayCloseCode)[keyof typeof GatewayCloseCode];
