import { ConfigError, parseRedisConfig } from '../config';
import { createRedisConnection } from './create-redis-connection';
import { InvalidConnectionOptionError } from './invalid-connection-option-error';

describe('createRedisConnection (before connecting)', () => {
  const { main } = parseRedisConfig({ REDIS_URL: 'redis://127.0.0.1:1/0' });

  it('refuses a TLS CA file it cannot read, naming REDIS_TLS_CA_FILE', () => {
    const options = { ...main, tls: { caFile: '/nonexistent/rebal-ca.pem' } };
    let thrown: unknown;
    try {
      createRedisConnection(options, { lazyConnect: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe('REDIS_TLS_CA_FILE');
    expect((thrown as ConfigError).message).toMatch(/cannot read the CA file \/nonexistent\/rebal-ca\.pem \(ENOENT\)/);
  });

  it.each([
    ['a zero base delay', { baseMs: 0 }],
    ['a cap below the base delay', { baseMs: 500, maxMs: 100 }],
    ['a delay that is not a number', { baseMs: Number.NaN }],
  ])('refuses a retry option with %s', (_case, retry) => {
    expect(() => createRedisConnection(main, { lazyConnect: true, retry })).toThrow(InvalidConnectionOptionError);
  });

  it('refuses an empty name', () => {
    expect(() => createRedisConnection(main, { lazyConnect: true, name: '' })).toThrow(/name must not be empty/);
  });
});
