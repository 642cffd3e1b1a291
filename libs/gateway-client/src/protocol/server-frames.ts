import type { RequestId } from './client-frames';
import type { CloudEvent } from './cloud-event';

/** The limits a client must respect, announced in `welcome`. */
export interface AnnouncedLimits {
  /** Largest inbound frame in bytes. */
  readonly maxFrameBytes: number;
  /** Channels one connection may be subscribed to. */
  readonly maxSubscriptions: number;
  /** Channels one `subscribe`/`unsubscribe` frame may list. */
  readonly maxChannelsPerFrame: number;
  /** Operations per second refilled into the connection's token bucket. */
  readonly rateLimitPerSecond: number;
  /** Token bucket capacity (burst). */
  readonly rateLimitBurst: number;
}

/** The connection's session, in `welcome`. */
export interface SessionInfo {
  /** Session id: send it in the next connection's `auth` to resume. */
  readonly id: string;
  /** Whether the session sent was found (same `sub`) and adopted. */
  readonly resumed: boolean;
  /** When resumed: the session's channels still granted. */
  readonly channels: readonly string[];
}

/** First successful authentication: the connection is ready. */
export interface WelcomeFrame {
  readonly type: 'welcome';
  /** The `auth` frame's request id. */
  readonly id?: RequestId;
  /** Protocol version, `1`. */
  readonly protocol: number;
  /** The session. */
  readonly session: SessionInfo;
  /** The token's `sub`. */
  readonly subject: string;
  /** The token's grants, canonical form. */
  readonly grants: readonly string[];
  /** When the authentication ends, ms since the Unix epoch. */
  readonly expiresAt: number;
  /** Interval of the server's WebSocket pings, ms. */
  readonly heartbeatIntervalMs: number;
  /** Limits to respect. */
  readonly limits: AnnouncedLimits;
}

/** A token refresh was applied. */
export interface AuthenticatedFrame {
  readonly type: 'authenticated';
  /** The `auth` frame's request id. */
  readonly id?: RequestId;
  /** The token's `sub` (unchanged). */
  readonly subject: string;
  /** The new grants. */
  readonly grants: readonly string[];
  /** The new expiry, ms since the Unix epoch. */
  readonly expiresAt: number;
  /** Subscriptions the new grants no longer cover (dropped). */
  readonly revoked: readonly string[];
}

/** Why a subscription did not resume gaplessly. */
export type NotRecoveredReason = 'no_position' | 'trimmed' | 'replay_cap';

/** The outcome of one channel of a `subscribe`. */
export interface SubscribedChannel {
  /** Canonical channel name. */
  readonly channel: string;
  /** True: nothing was missed (`replayed` events follow). False: starts at the live edge; refetch the state. */
  readonly recovered: boolean;
  /** Number of replayed events that follow the `subscribed` frame. */
  readonly replayed: number;
  /** The position replay started after, when there was one. */
  readonly since?: string;
  /** Only when `recovered` is false. */
  readonly reason?: NotRecoveredReason;
}

/** Answer to `subscribe`: one entry per channel, in request order. */
export interface SubscribedFrame {
  readonly type: 'subscribed';
  /** The `subscribe` frame's request id. */
  readonly id?: RequestId;
  /** Per-channel outcome. */
  readonly channels: readonly SubscribedChannel[];
}

/** Why channels were unsubscribed. */
export type UnsubscribeReason = 'requested' | 'revoked';

/** Answer to `unsubscribe`, or a notice that a refresh revoked channels (no id). */
export interface UnsubscribedFrame {
  readonly type: 'unsubscribed';
  /** The `unsubscribe` frame's request id; absent on a revocation notice. */
  readonly id?: RequestId;
  /** Channel names. */
  readonly channels: readonly string[];
  /** `requested` or `revoked`. */
  readonly reason: UnsubscribeReason;
}

/** One event on one channel. `id` is the stream entry id (the resume position), never a request id. */
export interface EventFrame {
  readonly type: 'event';
  /** The subscribed channel. */
  readonly channel: string;
  /** The stream it was read from. */
  readonly stream: string;
  /** The stream entry id. */
  readonly id: string;
  /** The CloudEvent. */
  readonly event: CloudEvent;
}

/** A refused frame or a failed operation. */
export interface ErrorFrame {
  readonly type: 'error';
  /** The request id of the frame that failed, when it had one. */
  readonly id?: RequestId;
  /** The error code (see `ServerErrorCode`); unknown codes are passed through. */
  readonly code: string;
  /** Human-readable detail. */
  readonly message: string;
  /** The channel the error is about. */
  readonly channel?: string;
  /** For `rate_limited`: ms until an operation is accepted again. */
  readonly retryAfterMs?: number;
}

/** Answer to `ping`. */
export interface PongFrame {
  readonly type: 'pong';
  /** The `ping` frame's request id. */
  readonly id?: RequestId;
  /** Server time, ms since the Unix epoch. */
  readonly time: number;
}

/** The token expires soon: refresh it with `auth`. */
export interface TokenExpiringFrame {
  readonly type: 'token_expiring';
  /** The expiry, ms since the Unix epoch. */
  readonly expiresAt: number;
  /** ms left when the frame was sent. */
  readonly expiresInMs: number;
}

/** Any server frame this client understands, discriminated by `type`. */
export type ServerFrame =
  | WelcomeFrame
  | AuthenticatedFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | EventFrame
  | ErrorFrame
  | PongFrame
  | TokenExpiringFrame;
