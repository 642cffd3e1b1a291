import { ConfigError, parseRedisConfig } from '@rebal/redis-client';
import { parseCorsOrigins, serviceSettings } from '@rebal/service-kit';
import { AuthConfigError, createTokenVerifier, type TokenVerifierOptions } from '../auth';
import { PROTOCOL_DEFAULTS } from '../protocol';
import type { GatewayConfig } from './gateway-config';
import { GATEWAY_ENV } from './gateway-env';
import { parseAlertApiUrl } from './parse-alert-api-url';

type Env = Record<string, string | undefined>;

const KEY_VARIABLES = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'] as const;

/**
 * Turns the environment into the gateway's typed configuration. Pure: it reads only `env`.
 * Throws `ConfigError` naming the first bad variable: a malformed value, no or several token
 * key sources, a key the verifier refuses (short secret, bad PEM, non-http JWKS URL), a
 * `CORS_ORIGINS` entry that is not an origin or an `ALERT_API_URL` or `HEALTH_API_URL` a browser cannot use.
 */
export function parseGatewayConfig(env: Env): GatewayConfig {
  const vars = GATEWAY_ENV.parse(env);
  const redis = parseRedisConfig(env);
  const auth = authOptions(vars);
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

type ParsedVars = ReturnType<typeof GATEWAY_ENV.parse>;

/** `parse()`'s result; its error becomes a `ConfigError` naming `variable`. */
function parsed<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(variable, (error as Error).message);
  }
}

function authOptions(vars: ParsedVars): TokenVerifierOptions {
  const set = KEY_VARIABLES.filter((name) => vars[name] !== undefined);
  if (set.length !== 1) {
    const found = set.length === 0 ? 'none is set' : `${set.join(' and ')} are set`;
    throw new ConfigError(set[1] ?? 'AUTH_JWT_SECRET', `exactly one of ${KEY_VARIABLES.join(', ')} is required; ${found}`);
  }
  const options: TokenVerifierOptions = {
    ...(vars.AUTH_JWT_SECRET === undefined ? {} : { hs256Secret: vars.AUTH_JWT_SECRET }),
    // Kubernetes secrets and .env files often carry a PEM on one line with literal \n.
    ...(vars.AUTH_JWT_PUBLIC_KEY === undefined ? {} : { publicKeyPem: vars.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n') }),
    ...(vars.AUTH_JWKS_URL === undefined ? {} : { jwksUrl: vars.AUTH_JWKS_URL }),
    ...list('audience', vars.AUTH_AUDIENCE),
    ...list('issuer', vars.AUTH_ISSUER),
    clockToleranceSec: vars.AUTH_CLOCK_TOLERANCE / 1_000,
    channelsClaim: vars.AUTH_CHANNELS_CLAIM,
  };
  try {
    createTokenVerifier(options);
  } catch (error) {
    if (!(error instanceof AuthConfigError)) throw error;
    // The verifier's messages never contain the secret itself.
    throw new ConfigError(set[0], error.message);
  }
  return options;
}

function list(name: 'audience' | 'issuer', text: string | undefined): Partial<Record<'audience' | 'issuer', string[]>> {
  if (text === undefined) return {};
  const items = text.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  return items.length === 0 ? {} : { [name]: items };
}
