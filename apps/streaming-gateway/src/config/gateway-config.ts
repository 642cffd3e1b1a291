import type { ServiceSettings } from '@rebal/service-kit';
import type { RedisConfig } from '@rebal/redis-client';
import type { GatewayAuthSettings } from '../auth';

/**
 * The limits and timers of client connections. Defaults are the protocol's
 * (`PROTOCOL_DEFAULTS`, docs/protocol.md "Limits"); a deployment may change them and the
 * gateway announces the values in `welcome`.
 */
export interface GatewayLimits {
  /** A connection must authenticate within this many ms, else close 4002 (default 5 000). */
  readonly authTimeoutMs: number;
  /** `token_expiring` is sent this many ms before the authentication ends (default 30 000). */
  readonly tokenExpiringLeadMs: number;
  /** Largest inbound frame answered normally; larger ones get `frame_too_large` (default 65 536). */
  readonly maxFrameBytes: number;
  /** Hard inbound cap given to `ws` as `maxPayload`: above it `ws` closes with 1009 (default 1 MiB). */
  readonly maxPayloadBytes: number;
  /** Bytes buffered for one client above which it is closed as a slow consumer, 4009 (default 1 MiB). */
  readonly sendBufferLimitBytes: number;
  /** After a 4009 close frame is queued, the socket is destroyed this many ms later if still open (default 5 000). */
  readonly slowConsumerCloseGraceMs: number;
  /** Interval of WebSocket pings (one sweep over every connection); a client that missed the previous pong is terminated; a pong confirms the session positions taken with its ping (default 30 000). */
  readonly heartbeatIntervalMs: number;
  /** Channels one connection may be subscribed to (default 100). */
  readonly maxSubscriptions: number;
  /** Most events replayed per channel on a resume (default 1 000). */
  readonly replayCap: number;
  /** How long a session outlives its last connection, ms (default 300 000). */
  readonly sessionTtlMs: number;
  /** Client operations refilled per second into each connection's token bucket (default 20). */
  readonly rateLimitPerSecond: number;
  /** Token bucket capacity (default 40). */
  readonly rateLimitBurst: number;
  /** Consecutive rate-limited frames after which the connection is closed with 4008 (default 20). */
  readonly rateLimitCloseAfter: number;
}

/** Everything the streaming gateway needs, parsed once from the environment by `parseGatewayConfig`. */
export interface GatewayConfig extends ServiceSettings {
  /** Redis connection and stream prefix. */
  readonly redis: RedisConfig;
  /** How tokens are verified: exactly one key source, audience, issuer, clock tolerance. */
  readonly auth: GatewayAuthSettings;
  /** Connection limits and timers. */
  readonly limits: GatewayLimits;
  /** Browser origins allowed to open `/ws` besides the gateway's own (`CORS_ORIGINS`; `*` allows every one). */
  readonly corsOrigins: readonly string[];
  /** The alert API's base URL served to the dashboard (`ALERT_API_URL`): absolute, or a path on the page's origin; unset, the dashboard uses its default. */
  readonly alertApiUrl?: string;
  /** The health monitor's API base URL served to the console (`HEALTH_API_URL`): absolute, or a path on the page's origin; unset, the console reads no status. */
  readonly healthApiUrl?: string;
  /** Directory served at `/` (the console build; default `dist/apps/console`); nothing is served there when unset. */
  readonly dashboardDir?: string;
  /** Interval of the service heartbeats on `service_heartbeats`, ms (default 5 000). */
  readonly heartbeatPublishIntervalMs: number;
  /** Hard limit for a graceful shutdown, ms (default 10 000). */
  readonly shutdownTimeoutMs: number;
}
