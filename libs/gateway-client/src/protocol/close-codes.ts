/** WebSocket close codes the gateway uses (docs/protocol.md, "Close codes"). */
export const GatewayCloseCode = {
  /** Normal closure: no reconnect. */
  Normal: 1000,
  /** The server is shutting down: reconnect at once to any replica. */
  GoingAway: 1001,
  /** No close frame: the connection died. Reconnect with backoff. */
  Abnormal: 1006,
  /** A frame above the hard limit. */
  MessageTooBig: 1009,
  /** Unexpected server failure. */
  InternalError: 1011,
  /** The gateway could not fetch its keys: reconnect with backoff. */
  TryAgainLater: 1013,
  /** The first token was refused: do not retry with the same token. */
  AuthFailed: 4001,
  /** No `auth` within the deadline. */
  AuthTimeout: 4002,
  /** The token expired: get a fresh one, reconnect, resume. */
  TokenExpired: 4003,
  /** The client kept sending after being rate limited: long backoff. */
  RateLimited: 4008,
  /** The client read too slowly: reconnect and resume. */
  SlowConsumer: 4009,
} as const;

/** One of the {@link GatewayCloseCode} values. */
export type GatewayCloseCode = (typeof GatewayCloseCode)[keyof typeof GatewayCloseCode];
