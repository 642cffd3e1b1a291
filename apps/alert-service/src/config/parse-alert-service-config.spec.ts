import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@rebal/redis-client';
import { createJwtVerifier } from '@rebal/service-kit';
import { ALERT_SERVICE_ENV } from './alert-service-env';
import { parseAlertServiceConfig } from './parse-alert-service-config';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

function configError(env: Record<string, string>): ConfigError {
  try {
    parseAlertServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseAlertServiceConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseAlertServiceConfig({ AUTH_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 8081,
      auth: { hs256Secret: SECRET, clockToleranceSec: 5 },
      corsOrigins: [],
      retentionMs: 7 * 86_400_000,
      partitions: 16,
      rateLimits: {},
      seed: true,
      maxClockSkewMs: 300_000,
      consumer: { concurrency: 10, claimIdleMs: 30_000, claimIntervalMs: 5_000, maxDeliveries: 5, blockMs: 2_000 },
      rulesRefreshIntervalMs: 2_000,
      notifications: { targets: [], attempts: 8, backoffBaseMs: 1_000, backoffMaxMs: 300_000, concurrency: 5 },
      shutdownTimeoutMs: 10_000,
    });
    expect(config.redis.main.displayUrl).toBe('redis://127.0.0.1:6379/0');
  });

  it('requires exactly one token key: authentication is always on', () => {
    expect(configError({}).message).toMatch(/^AUTH_JWT_SECRET: exactly one of AUTH_JWT_SECRET \(HS256\) and AUTH_JWT_PUBLIC_KEY/);
    expect(configError({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_PUBLIC_KEY: 'x' }).variable).toBe('AUTH_JWT_PUBLIC_KEY');
    const short = configError({ AUTH_JWT_SECRET: 'too-short-secret' });
    expect(short.variable).toBe('AUTH_JWT_SECRET');
    expect(short.message).toContain('32 bytes');
    expect(short.message).not.toContain('too-short-secret');
    expect(configError({ AUTH_JWT_PUBLIC_KEY: 'not a key' }).message).toMatch(/^AUTH_JWT_PUBLIC_KEY: .*PEM/);
  });

  it('takes a public key instead of the secret, also on one line with literal \\n escapes', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const oneLine = pem.trim().replace(/\n/g, '\\n');
    const config = parseAlertServiceConfig({ AUTH_JWT_PUBLIC_KEY: oneLine });
    expect(config.auth).toMatchObject({ publicKeyPem: pem.trim() });
    expect(config.auth.hs256Secret).toBeUndefined();
    expect(createJwtVerifier(config.auth).algorithms).toEqual(['ES256']);
  });

  it('takes a JWKS URL instead of a key, as the gateway does (one verifier in service-kit)', () => {
    expect(parseAlertServiceConfig({ AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json' }).auth).toMatchObject({ jwksUrl: 'https://id.example/.well-known/jwks.json' });
    expect(configError({ AUTH_JWKS_URL: 'file:///etc/jwks.json' }).variable).toBe('AUTH_JWKS_URL');
    expect(configError({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://id.example/jwks' }).variable).toBe('AUTH_JWKS_URL');
  });

  it('reads audiences, issuers, CORS origins and rate limits', () => {
    const config = parseAlertServiceConfig({
      AUTH_JWT_SECRET: SECRET,
      AUTH_AUDIENCE: 'alert-api, dashboard',
      AUTH_ISSUER: 'https://id.example',
      CORS_ORIGINS: 'http://localhost:8080, https://app.example.com',
      ALERT_RATE_LIMITS: '{"S1": {"perMinute": 1, "burst": 2}}',
    });
    expect(config.auth).toMatchObject({ audience: ['alert-api', 'dashboard'], issuer: ['https://id.example'] });
    expect(config.corsOrigins).toEqual(['http://localhost:8080', 'https://app.example.com']);
    expect(config.rateLimits).toEqual({ S1: { perMinute: 1, burst: 2 } });
    expect(configError({ AUTH_JWT_SECRET: SECRET, CORS_ORIGINS: 'http://localhost:8080/app' }).variable).toBe('CORS_ORIGINS');
    expect(configError({ AUTH_JWT_SECRET: SECRET, ALERT_RATE_LIMITS: '{"S4": {}}' }).message).toContain('S4');
  });

  it('names the bad webhook field without echoing URLs or secrets', () => {
    const error = configError({ AUTH_JWT_SECRET: SECRET, ALERT_WEBHOOKS: '[{"name":"ops","url":"ftp://token@hooks","secret":"shh","severities":["S2"]}]' });
    expect(error.variable).toBe('ALERT_WEBHOOKS');
    expect(error.message).toContain('ALERT_WEBHOOKS[0].url');
    expect(error.message).not.toMatch(/token@hooks|shh/);
    expect(parseAlertServiceConfig({ AUTH_JWT_SECRET: SECRET, ALERT_WEBHOOKS: '[{"name":"ops","url":"https://hooks.example/a","severities":["S2","S3"]}]' }).notifications.targets).toEqual([
      { name: 'ops', url: 'https://hooks.example/a', severities: ['S2', 'S3'] },
    ]);
  });

  it('reads how far ahead of the clock an event may be dated, and refuses a tolerance under a second', () => {
    expect(parseAlertServiceConfig({ AUTH_JWT_SECRET: SECRET, ALERT_MAX_CLOCK_SKEW: '30s' }).maxClockSkewMs).toBe(30_000);
    expect(configError({ AUTH_JWT_SECRET: SECRET, ALERT_MAX_CLOCK_SKEW: '500ms' }).variable).toBe('ALERT_MAX_CLOCK_SKEW');
  });

  it('documents every variable it reads', () => {
    const names = ALERT_SERVICE_ENV.describe().map((variable) => variable.name);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'CORS_ORIGINS', 'ALERT_WEBHOOKS', 'ALERT_RETENTION', 'ALERT_SEED_FILE', 'RULES_REFRESH_INTERVAL']));
    expect(ALERT_SERVICE_ENV.describe().find((variable) => variable.name === 'AUTH_JWT_SECRET')?.secret).toBe(true);
  });
});
