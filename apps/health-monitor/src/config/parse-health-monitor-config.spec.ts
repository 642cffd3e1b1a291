import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@rebal/redis-client';
import { HEALTH_MONITOR_ENV } from './health-monitor-env';
import { parseHealthMonitorConfig } from './parse-health-monitor-config';

describe('parseHealthMonitorConfig', () => {
  it('has defaults for everything, port 8082 included', () => {
    const config = parseHealthMonitorConfig({});
    expect(config.port).toBe(8082);
    expect(config.checkIntervalMs).toBe(5_000);
    expect(config.heartbeats).toEqual({ intervalMs: 5_000, timeoutMs: 15_000, expectedServices: ['alert-service', 'streaming-gateway'] });
    expect(config.thresholds).toEqual({ maxLag: 1_000, pendingGrowthChecks: 5, memoryShare: 0.8, requireAof: true });
    expect(config.reaper).toEqual({ enabled: true, graceMs: 60_000, forgetAfterMs: 86_400_000, leaseTtlMs: 15_000 });
    expect(config.redis.main.mode).toBe('standalone');
    expect(config.corsOrigins).toEqual([]);
  });

  it('reads the browser origins allowed to read the status (CORS_ORIGINS)', () => {
    expect(parseHealthMonitorConfig({ CORS_ORIGINS: 'http://127.0.0.1:8080, http://localhost:8080' }).corsOrigins).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
  });

  it('reads durations, shares, lists and the stream prefix', () => {
    const config = parseHealthMonitorConfig({
      HEALTH_CHECK_INTERVAL: '250ms',
      HEALTH_MEMORY_THRESHOLD: '90%',
      HEALTH_EXPECTED_SERVICES: ' a , b,,a ',
      HEALTH_EXTRA_STREAMS: 'orders,payments',
      REDIS_STREAM_PREFIX: 'staging:',
    });
    expect(config.checkIntervalMs).toBe(250);
    expect(config.thresholds.memoryShare).toBe(0.9);
    expect(config.heartbeats.expectedServices).toEqual(['a', 'b']);
    expect(config.extraStreams).toEqual(['orders', 'payments']);
    expect(config.redis.streamPrefix).toBe('staging:');
  });

  it.each([
    ['HEALTH_MEMORY_THRESHOLD', { HEALTH_MEMORY_THRESHOLD: '1.5' }],
    ['HEALTH_LAG_THRESHOLD', { HEALTH_LAG_THRESHOLD: 'lots' }],
    ['HEALTH_EXPECTED_SERVICES', { HEALTH_EXPECTED_SERVICES: 'a b' }],
    ['HEALTH_REAP_GRACE', { HEALTH_REAP_GRACE: '10s', HEALTH_HEARTBEAT_TIMEOUT: '15s' }],
    ['REDIS_URL', { REDIS_URL: 'http://nope' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'http://localhost:8080/console' }],
  ])('names %s when its value is bad', (variable, env) => {
    expect(() => parseHealthMonitorConfig(env)).toThrow(ConfigError);
    try {
      parseHealthMonitorConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  it('documents every variable with its default, in the README too', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    for (const doc of HEALTH_MONITOR_ENV.describe()) {
      expect(doc.description.length).toBeGreaterThan(10);
      expect(readme).toContain(`| \`${doc.name}\` | ${doc.default} |`);
    }
  });
});
