import { ConfigError, parseRedisConfig } from '@rebal/redis-client';
import { parseAuthSettings, parseCorsOrigins, serviceSettings } from '@rebal/service-kit';
import { PROTOCOL_DEFAULTS } from '../protocol';
import type { GatewayConfig } from './gateway-config';
import { GATEWAY_ENV } from './gateway-env';
import { parseAlertApiUrl } from './parse-alert-api-url';

type Env = Record<string, string | undefined>;

/**
 * Turns the environment into the gateway's typed configuration. Pure: it reads only `env`.
 * Throws `ConfigError` naming the first bad variable: a malformed value, no or several token
 * key sources, a key the verifier refuses (short secret, bad PEM, non-http JWKS URL), a
 * `CORS_ORIGINS` entry that is not an origin or an `ALERT_API_URL` or `HEALTH_API_URL` a browser cannot use.
 */
export function parseGatewayConfig(env: Env): GatewayConfig {
  const vars = GATEWAY_ENV.parse(env);
  const redis = parseRedisConfig(env);
  const auth = { ...parseAuthSettings(vars), channelsClaim: vars.AUTH_CHANNELS_CLAIM };
  const corsOrigins = parsed('CORS_ORIGINS', () => parseCorsOrigins(vars.CORS_ORIGINS));
  const alertApiUrl = vars.ALERT_API_URL === undefined ? undefined : parsed('ALERT_API_URL', () => parseAlertApiUrl(vars.ALERT_API_URL ?? ''));
  const healthApiUrl = vars.HEALTH_API_URL === undefined ? undefined : parsed('HEALTH_API_URL', () => parseAlertApiUrl(vars.HEALTH_API_URL ?? ''));
  return {
    ...serviceSettings(vars),
    redis,
    auth,
    limits: {
      authTimeoutMs: vars.GATEWAY_AUTH_TIMEOUT,
      tokenExpiringLeadMs: vars.GATEWAY_TOKEN_EXPIRING_LEAD,
      maxFrameBytes: vars.GATEWAY_MAX_FRAME_BYTES,
      maxPayloadBytes: PROTOCOL_DEFAULTS.maxPayloadBytes,
      sendBufferLimitBytes: vars.GATEWAY_SEND_BUFFER_LIMIT,
      slowConsumerCloseGraceMs: 5_000,
      heartbeatIntervalMs: vars.GATEWAY_PING_INTERVAL,
      maxSubscriptions: vars.GATEWAY_MAX_SUBSCRIPTIONS,
      replayCap: vars.GATEWAY_REPLAY_CAP,
      sessionTtlMs: vars.GATEWAY_SESSION_TTL,
      rateLimitPerSecond: vars.GATEWAY_RATE_LIMIT_PER_SECOND,
      rateLimitBurst: vars.GATEWAY_RATE_LIMIT_BURST,
      rateLimitCloseAfter: PROTOCOL_DEFAULTS.rateLimitCloseAfter,
    },
    corsOrigins,
    ...(alertApiUrl === undefined ? {} : { alertApiUrl }),
    ...(healthApiUrl === undefined ? {} : { healthApiUrl }),
    dashboardDir: vars.DASHBOARD_DIR,
    heartbeatPublishIntervalMs: vars.HEARTBEAT_INTERVAL,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT,
  };
}

/** `parse()`'s result; its error becomes a `ConfigError` naming `variable`. */
function parsed<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(variable, (error as Error).message);
  }
}
