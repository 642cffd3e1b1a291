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
    expect(config.dashboardDir).toBe('dist/dashboard');
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

  it('documents every variable it reads', () => {
    const names = GATEWAY_ENV.describe().map((variable) => variable.name);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'INSTANCE_ID', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'GATEWAY_SEND_BUFFER_LIMIT', 'DASHBOARD_DIR']));
    expect(GATEWAY_ENV.describe().find((variable) => variable.name === 'AUTH_JWT_SECRET')?.secret).toBe(true);
  });
});
