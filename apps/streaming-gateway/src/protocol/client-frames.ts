import type { Channel } from '../channels';

/**
 * A client-chosen request id: a string of 1..64 characters or a non-negative safe integer.
 * Replies and errors caused by the frame carry it back unchanged; frames without one get
 * replies without one.
 */
export type RequestId = string | number;

/** The operations a client may send, in the `op` field. */
export const CLIENT_OPS = ['auth', 'subscribe', 'unsubscribe', 'ping'] as const;

/** One of {@link CLIENT_OPS}. */
export type ClientOp = (typeof CLIENT_OPS)[number];

/**
 * `{"op":"auth","token":"<jwt>"}`: the first authentication (answered with `welcome`) or a
 * token refresh on a live connection (answered with `authenticated`).
 */
export interface AuthFrame {
  /** `auth`. */
  readonly op: 'auth';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** The JWT. Never logged. */
  readonly token: string;
  /** On the first auth only: the session to resume (its `id` from an earlier `welcome`). Ignored on refresh. */
  readonly session?: string;
}

/** One channel of a `subscribe` frame, with its resume position when the client sent one. */
export interface SubscribeRequest {
  /** The parsed channel. */
  readonly channel: Channel;
  /** The last stream id the client saw on this channel; events after it are replayed. */
  readonly since?: string;
}

/**
 * `{"op":"subscribe","channels":[...],"since":{"<channel>":"<stream id>"}}`: subscribe to each
 * channel (duplicates removed, first occurrence kept), replaying from `since` when given.
 */
export interface SubscribeFrame {
  /** `subscribe`. */
  readonly op: 'subscribe';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** The channels, in the order sent, each at most once. */
  readonly channels: readonly SubscribeRequest[];
}

/** `{"op":"unsubscribe","channels":[...]}`: stop receiving the channels (idempotent). */
export interface UnsubscribeFrame {
  /** `unsubscribe`. */
  readonly op: 'unsubscribe';
  /** Request id echoed in the reply. */
  readonly id?: RequestId;
  /** The parsed channels, each at most once. */
  readonly channels: readonly Channel[];
}

/** `{"op":"ping"}`: an application-level round trip, answered with `pong`. */
export interface PingFrame {
  /** `ping`. */
  readonly op: 'ping';
  /** Request id echoed in the `pong`. */
  readonly id?: RequestId;
}

/** Any valid client frame, discriminated by `op`. */
export type ClientFrame = AuthFrame | SubscribeFrame | UnsubscribeFrame | PingFrame;
