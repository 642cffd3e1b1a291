/**
 * A request id: a string of 1..64 characters or a non-negative safe integer. Replies and
 * errors caused by a frame carry it back unchanged.
 */
export type RequestId = string | number;

/** `auth`: the first authentication (answered by `welcome`) or a token refresh (answered by `authenticated`). */
export interface AuthFrame {
  readonly op: 'auth';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** The JWT. */
  readonly token: string;
  /** On the first auth only: the session id to resume. */
  readonly session?: string;
}

/** `subscribe`: 1..100 channels, optionally replaying after `since[channel]`. */
export interface SubscribeFrame {
  readonly op: 'subscribe';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** Channel names, e.g. `market_data`, `market_data:BTC`. */
  readonly channels: readonly string[];
  /** Last stream id seen per channel; every key must be one of `channels`. */
  readonly since?: Readonly<Record<string, string>>;
}

/** `unsubscribe`: stop receiving channels (idempotent). */
export interface UnsubscribeFrame {
  readonly op: 'unsubscribe';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** Channel names. */
  readonly channels: readonly string[];
}

/** `ping`: an application-level round trip, answered by `pong`. */
export interface PingFrame {
  readonly op: 'ping';
  /** Request id echoed in the `pong`. */
  readonly id?: RequestId;
}

/** Any client frame, discriminated by `op`. */
export type ClientFrame = AuthFrame | SubscribeFrame | UnsubscribeFrame | PingFrame;
