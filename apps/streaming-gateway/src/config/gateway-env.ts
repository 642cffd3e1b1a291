import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@rebal/redis-client';
import { authEnv, DEFAULT_SHUTDOWN_TIMEOUT_MS, duration, envSchema, int, optionalStr, serviceEnv, str } from '@rebal/service-kit';
import { DEFAULT_CHANNELS_CLAIM } from '../auth';
import { PROTOCOL_DEFAULTS } from '../protocol';

/**
 * The streaming gateway's environment variables (besides the Redis ones read by
 * `parseRedisConfig`). `describe()` lists them with defaults for the README.
 */
export const GATEWAY_ENV = envSchema({
  ...serviceEnv(8080),
  ...authEnv(),
  AUTH_CHANNELS_CLAIM: str({ default: DEFAULT_CHANNELS_CLAIM, description: 'name of the token claim that lists the channel grants' }),
  GATEWAY_AUTH_TIMEOUT: duration({ default: PROTOCOL_DEFAULTS.authTimeoutMs, min: 100, description: 'connections not authenticated by then are closed with 4002' }),
  GATEWAY_TOKEN_EXPIRING_LEAD: duration({ default: PROTOCOL_DEFAULTS.tokenExpiringLeadMs, description: '`token_expiring` is sent this long before the token expires' }),
  GATEWAY_PING_INTERVAL: duration({ default: PROTOCOL_DEFAULTS.heartbeatIntervalMs, min: 100, description: 'WebSocket ping interval; a client that missed the previous pong is dropped, and a pong confirms the session positions of what was sent before its ping' }),
  GATEWAY_MAX_FRAME_BYTES: int({ default: PROTOCOL_DEFAULTS.maxFrameBytes, min: 1_024, max: PROTOCOL_DEFAULTS.maxPayloadBytes, description: 'inbound frames above this get `frame_too_large`' }),
  GATEWAY_SEND_BUFFER_LIMIT: int({ default: PROTOCOL_DEFAULTS.sendBufferLimitBytes, min: 16_384, description: 'bytes buffered for one client before it is closed with 4009 (slow consumer)' }),
  GATEWAY_MAX_SUBSCRIPTIONS: int({ default: PROTOCOL_DEFAULTS.maxSubscriptions, min: 1, max: 10_000, description: 'channels one connection may subscribe to' }),
  GATEWAY_REPLAY_CAP: int({ default: PROTOCOL_DEFAULTS.replayCap, min: 1, max: 100_000, description: 'most events replayed per channel on a resume' }),
  GATEWAY_SESSION_TTL: duration({ default: PROTOCOL_DEFAULTS.sessionTtlMs, min: 1_000, description: 'how long a session outlives its last connection' }),
  GATEWAY_RATE_LIMIT_PER_SECOND: int({ default: PROTOCOL_DEFAULTS.rateLimitPerSecond, min: 1, description: 'client operations per second (token bucket refill)' }),
  GATEWAY_RATE_LIMIT_BURST: int({ default: PROTOCOL_DEFAULTS.rateLimitBurst, min: 1, description: 'client operations in a burst (token bucket size)' }),
  CORS_ORIGINS: str({
    default: '',
    defaultText: 'none',
    description: 'browser origins allowed to open `/ws` besides the page the gateway serves itself, comma-separated `scheme://host[:port]`, or `*`; clients that send no `Origin` (not browsers) are always allowed',
  }),
  ALERT_API_URL: optionalStr({
    defaultText: 'none (the dashboard uses `<page host>:8081/api/v1`)',
    description: 'the alert API\'s base URL as the dashboard\'s browser reaches it, served at `/dashboard-config.json`: `https://host/api/v1`, or a path on the page\'s own origin such as `/api/v1` (an Ingress routing it to the alert service)',
  }),
  HEALTH_API_URL: optionalStr({
    defaultText: 'none (the console shows the health monitor\'s announcements only)',
    description: 'the health monitor\'s API base URL as the console\'s browser reaches it, served at `/dashboard-config.json`: `http://host:8082/api/v1`, or a path on the page\'s own origin; the monitor\'s `CORS_ORIGINS` must list the console\'s origin',
  }),
  DASHBOARD_DIR: str({ default: 'dist/apps/console', description: 'directory served at `/`: the console build (`npx nx run console:build`; relative to the working directory)' }),
  HEARTBEAT_INTERVAL: duration({ default: DEFAULT_HEARTBEAT_INTERVAL_MS, min: 100, description: 'interval of the service heartbeats on `service_heartbeats`' }),
  SHUTDOWN_TIMEOUT: duration({ default: DEFAULT_SHUTDOWN_TIMEOUT_MS, min: 1_000, description: 'hard limit for a graceful shutdown' }),
});
