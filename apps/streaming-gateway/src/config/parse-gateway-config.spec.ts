import { ConfigError } from '@rebal/redis-client';
import { GATEWAY_ENV } from './gateway-env';
import { parseGatewayConfig } from './parse-gateway-config';

const SECRET = 'a-gateway-secret-of-at-least-32-bytes!!';

describe('parseGatewayConfig', () => {
  it('applies the protocol defaults', () => {
    const config = parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, INSTANCE_ID: 'gw-1' });
    expect(config).toMatchObject({ port: 8080, instanceId: 'gw-1', auth: { hs256Secret: SECRET, clockToleranceSec: 5, channelsClaim: 'channels' } });
    expect(config.limits).toMatchObject({
      authTimeoutMs: 5_000,
      maxFrameBytes: 65_536,
      maxPayloadBytes: 1_048_576,
      sendBufferLimitBytes: 1_048_576,
      heartbeatIntervalMs: 30_000,
      maxSubscriptions: 100,
      replayCap: 1_000,
      sessionTtlMs: 300_000,
      rateLimitPerSecond: 20,
      rateLimitBurst: 40,
    });
    // The console build, from the working directory of `npm start` (the repository).
    expect(config.dashboardDir).toBe('dist/apps/console');
  });

  it('reads lists, durations and the dashboard directory', () => {
    const config = parseGatewayConfig({
      AUTH_JWT_SECRET: SECRET,
      AUTH_AUDIENCE: 'rebal-gateway, other',
      AUTH_ISSUER: 'https://issuer.example',
      GATEWAY_AUTH_TIMEOUT: '2s',
      GATEWAY_REPLAY_CAP: '500',
      DASHBOARD_DIR: '/srv/dashboard',
      REDIS_STREAM_PREFIX: 'staging:',
    });
    expect(config.auth).toMatchObject({ audience: ['rebal-gateway', 'other'], issuer: ['https://issuer.example'] });
    expect(config.limits.authTimeoutMs).toBe(2_000);
    expect(config.limits.replayCap).toBe(500);
    expect(config.dashboardDir).toBe('/srv/dashboard');
    expect(config.redis.streamPrefix).toBe('staging:');
  });

  it('requires exactly one token key source, naming the variable', () => {
    expect(() => parseGatewayConfig({})).toThrow(ConfigError);
    expect(() => parseGatewayConfig({})).toThrow(/AUTH_JWT_SECRET.*exactly one/);
    expect(() => parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://keys.example/jwks.json' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('refuses a short secret without repeating it', () => {
    let error: unknown;
    try {
      parseGatewayConfig({ AUTH_JWT_SECRET: 'short-secret' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('AUTH_JWT_SECRET');
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('refuses a bad number with the variable name', () => {
    expect(() => parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, GATEWAY_SEND_BUFFER_LIMIT: 'lots' })).toThrow(/GATEWAY_SEND_BUFFER_LIMIT/);
  });

  it('issue 11 item 30: reads the browser origins allowed on /ws (CORS_ORIGINS) and the alert API URL served to the dashboard (ALERT_API_URL)', () => {
    const config = parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, CORS_ORIGINS: 'https://app.example.com, http://localhost:8080', ALERT_API_URL: '/api/v1/' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:8080']);
    expect(config.alertApiUrl).toBe('/api/v1');
    expect(parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, ALERT_API_URL: 'https://alerts.example.com/api/v1' }).alertApiUrl).toBe('https://alerts.example.com/api/v1');
    const defaults = parseGatewayConfig({ AUTH_JWT_SECRET: SECRET });
    expect([defaults.corsOrigins, defaults.alertApiUrl]).toEqual([[], undefined]);
  });

  it('issue 11 item 30: refuses a CORS_ORIGINS entry that is not an origin and an ALERT_API_URL the browser cannot use, naming the variable', () => {
    const variableOf = (env: Record<string, string>) => {
      try {
        parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, ...env });
      } catch (error) {
        return [(error as ConfigError).variable, (error as Error).message];
      }
      return undefined;
    };
    expect(variableOf({ CORS_ORIGINS: 'https://app.example.com/dashboard' })).toEqual(['CORS_ORIGINS', expect.stringMatching(/not an origin/)]);
    for (const bad of ['alert-service:8081', 'ftp://alerts.example.com/api/v1', 'https://alerts.example.com/api/v1?x=1', '//alerts.example.com/api/v1', 'api/v1']) {
      expect(variableOf({ ALERT_API_URL: bad })).toEqual(['ALERT_API_URL', expect.stringMatching(/http:\/\/ or https:\/\/ URL, or a path/)]);
    }
    // A URL with credentials is refused without repeating them.
    expect(variableOf({ ALERT_API_URL: 'https://user:hunter2@alerts.example.com/api/v1' })).toEqual(['ALERT_API_URL', expect.not.stringContaining('hunter2')]);
  });

  it("reads the health monitor URL served to the console (HEALTH_API_URL), checked as ALERT_API_URL is, and none by default", () => {
    expect(parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, HEALTH_API_URL: 'http://127.0.0.1:8082/api/v1/' }).healthApiUrl).toBe('http://127.0.0.1:8082/api/v1');
    expect(parseGatewayConfig({ AUTH_JWT_SECRET: SECRET }).healthApiUrl).toBeUndefined();
    expect(() => parseGatewayConfig({ AUTH_JWT_SECRET: SECRET, HEALTH_API_URL: 'health-monitor:8082' })).toThrow(expect.objectContaining({ variable: 'HEALTH_API_URL' }));
  });

  it('documents every variable it reads', () => {
    const names = GATEWAY_ENV.describe().map((variable) => variable.name);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'INSTANCE_ID', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'GATEWAY_SEND_BUFFER_LIMIT', 'DASHBOARD_DIR']));
    expect(GATEWAY_ENV.describe().find((variable) => variable.name === 'AUTH_JWT_SECRET')?.secret).toBe(true);
  });
});
