import type { RequestId } from './client-frames';
import type { CloudEvent } from './cloud-event';

/** The limits a client should respect, announced in `welcome`. */
export interface AnnouncedLimits {
  /** Largest inbound frame in bytes. */
  readonly maxFrameBytes: number;
  /** Channels one connection may be subscribed to. */
  readonly maxSubscriptions: number;
  /** Channels one `subscribe`/`unsubscribe` frame may list. */
  readonly maxChannelsPerFrame: number;
  /** Operations per second refilled into the client's token bucket. */
  readonly rateLimitPerSecond: number;
  /** Token bucket capacity (burst). */
  readonly rateLimitBurst: number;
}

/** The connection's session, in `welcome`. */
export interface SessionInfo {
  /** Session id: keep it and send it in the `auth` of the next connection to resume. */
  readonly id: string;
  /** Whether the `session` the client sent was found (same `sub`) and adopted. */
  readonly resumed: boolean;
  /** When resumed: the session's channels that are still granted; subscribe to them again without `since` to resume each from its stored position. Empty otherwise. */
  readonly channels: readonly string[];
}

/** First successful authentication: the connection is ready. */
export interface WelcomeFrame {
  readonly type: 'welcome';
  /** The `auth` frame's request id (absent for `?token=` authentication). */
  readonly id?: RequestId;
  /** Wire protocol version (`PROTOCOL_VERSION`). */
  readonly protocol: number;
  /** The session. */
  readonly session: SessionInfo;
  /** The token's `sub`. */
  readonly subject: string;
  /** The token's grants, canonical names (`*`, `market_data`, `market_data:*`, `alerts:a-1`). */
  readonly grants: readonly string[];
  /** When the connection's authentication ends, ms since the Unix epoch. */
  readonly expiresAt: number;
  /** Interval of the server's WebSocket pings, ms. */
  readonly heartbeatIntervalMs: number;
  /** Limits to respect. */
  readonly limits: AnnouncedLimits;
}

/** A token refresh was applied: new grants and expiry. */
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
  /** Subscriptions dropped because the new grants no longer cover them (also announced by an `unsubscribed` frame). */
  readonly revoked: readonly string[];
}

/** Why a subscription could not resume gaplessly. */
export type NotRecoveredReason = 'trimmed' | 'replay_cap' | 'no_position';

/** The outcome of one channel of a `subscribe`. */
export interface SubscribedChannel {
  /** Canonical channel name. */
  readonly channel: string;
  /** True when a position was given and every event after it is replayed (or the channel was already subscribed on this connection): nothing was missed. False: the channel starts at the live edge; refetch the state it describes. */
  readonly recovered: boolean;
  /** How many missed events are replayed: they follow this frame, before any live event of the channel. Always 0 when `recovered` is false. */
  readonly replayed: number;
  /** The position replay started after (the `since` sent, or the session's), when there was one. */
  readonly since?: string;
  /** Why `recovered` is false: `no_position` (nothing to resume from), `trimmed` (the stream no longer holds events after the position), `replay_cap` (more events were missed than the replay cap). */
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

/** Answer to `unsubscribe`, or notice that a refresh revoked channels (`reason: "revoked"`, no id). */
export interface UnsubscribedFrame {
  readonly type: 'unsubscribed';
  /** The `unsubscribe` frame's request id; absent on a revocation notice. */
  readonly id?: RequestId;
  /** Canonical channel names. */
  readonly channels: readonly string[];
  /** `requested` by the client, or `revoked` by a token refresh. */
  readonly reason: UnsubscribeReason;
}

/** One event on one channel. Never a reply: `id` here is the stream entry id, not a request id. */
export interface EventFrame {
  readonly type: 'event';
  /** The subscribed channel the event is delivered on. */
  readonly channel: string;
  /** The stream it was read from (logical name). */
  readonly stream: string;
  /** The Redis stream entry id: the resume position to send as `since`. */
  readonly id: string;
  /** The CloudEvent, `data` as JSON. */
  readonly event: CloudEvent;
}

/** A refused frame or failed operation. */
export interface ErrorFrame {
  readonly type: 'error';
  /** The request id of the frame that failed, when it had one. */
  readonly id?: RequestId;
  /** One of {@link ServerErrorCode}; a client passes codes it does not know through as they are. */
  readonly code: string;
  /** Human-readable detail. */
  readonly message: string;
  /** The channel the error is about. */
  readonly channel?: string;
  /** For `rate_limited`: ms until an operation would be accepted again. */
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

/** The token expires soon: send a fresh one with `auth` before `expiresAt` or be closed with 4003. */
export interface TokenExpiringFrame {
  readonly type: 'token_expiring';
  /** The expiry, ms since the Unix epoch. */
  readonly expiresAt: number;
  /** ms left when the frame was sent. */
  readonly expiresInMs: number;
}

/** Any server frame, discriminated by `type`. */
export type ServerFrame =
  | WelcomeFrame
  | AuthenticatedFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | EventFrame
  | ErrorFrame
  | PongFrame
  | TokenExpiringFrame;

/** Every server frame `type`. */
export const SERVER_FRAME_TYPES = [
  'welcome',
  'authenticated',
  'subscribed',
  'unsubscribed',
  'event',
  'error',
  'pong',
  'token_expiring',
] as const satisfies readonly ServerFrame['type'][];
