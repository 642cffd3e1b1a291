/** Version of the wire protocol, sent in the `welcome` frame. Bumped only for incompatible changes. */
export const PROTOCOL_VERSION = 1;

/** The WebSocket path of the gateway. */
export const WS_PATH = '/ws';

/**
 * The protocol's limits and timers, as documented in docs/protocol.md. The server takes
 * each from its configuration and falls back to these values.
 */
export const PROTOCOL_DEFAULTS = {
  /** A connection must authenticate within this many ms of opening, else close 4002 (5 000). */
  authTimeoutMs: 5_000,
  /** `token_expiring` is sent this many ms before the token's expiry (30 000). */
  tokenExpiringLeadMs: 30_000,
  /** Largest inbound frame answered normally, in bytes; larger ones get `frame_too_large` (65 536). */
  maxFrameBytes: 64 * 1024,
  /** Hard inbound cap given to `ws` as `maxPayload`: above it the connection closes with 1009 (1 MiB). */
  maxPayloadBytes: 1024 * 1024,
  /** Bytes buffered for one client above which it is closed as a slow consumer, 4009 (1 MiB). */
  sendBufferLimitBytes: 1024 * 1024,
  /** Interval of the server's WebSocket-level pings; a client that misses one pong is dropped (30 000). */
  heartbeatIntervalMs: 30_000,
  /** Channels one connection may be subscribed to at once (100). */
  maxSubscriptions: 100,
  /** Channels one `subscribe`/`unsubscribe` frame may list (100). */
  maxChannelsPerFrame: 100,
  /** Most events replayed per channel on `subscribe` with a position; beyond it `recovered: false`, `replay_cap` (1 000). */
  replayCap: 1_000,
  /** How long a session outlives its last connection, in ms (300 000). */
  sessionTtlMs: 300_000,
  /** Client operations refilled per second into each connection's token bucket (20). */
  rateLimitPerSecond: 20,
  /** Token bucket capacity: operations a client may send in a burst (40). */
  rateLimitBurst: 40,
  /** Consecutive rate-limited frames after which the connection is closed with 4008 (20). */
  rateLimitCloseAfter: 20,
  /** Longest accepted token, in characters (16 384). */
  maxTokenLength: 16 * 1024,
} as const;
