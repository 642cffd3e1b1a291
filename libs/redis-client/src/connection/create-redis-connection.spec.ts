import { ConfigError, parseRedisConfig } from '../config';
import { Cluster, type Redis } from 'ioredis';
import { commandTimeoutOf } from './connection-metadata';
import { createRedisConnection } from './create-redis-connection';
import { duplicateConnection } from './duplicate-connection';
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

  it('issue 11 item 29: bounds every command of a command connection (5 s by default, REDIS_COMMAND_TIMEOUT), never a blocking one', () => {
    const plain = createRedisConnection(main, { lazyConnect: true }) as Redis;
    const set = createRedisConnection({ ...main, commandTimeoutMs: 700 }, { lazyConnect: true }) as Redis;
    const blocking = duplicateConnection(set, { lazyConnect: true }) as Redis;
    const copy = duplicateConnection(set, { lazyConnect: true, blocking: false }) as Redis;
    expect([plain.options.commandTimeout, set.options.commandTimeout, blocking.options.commandTimeout, copy.options.commandTimeout]).toEqual([5_000, 700, undefined, 700]);
    // A link silent for three timeouts while commands wait is replaced; never a blocking one (BLOCK is silence).
    expect([plain.options.socketTimeout, set.options.socketTimeout, blocking.options.socketTimeout]).toEqual([15_000, 2_100, undefined]);
    // A blocking reader still knows its Redis's deadline, to bound each read past its BLOCK.
    expect(commandTimeoutOf(blocking)).toBe(700);
    const cluster = createRedisConnection({ ...parseRedisConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:1' }).main, commandTimeoutMs: 900 }, { lazyConnect: true }) as Cluster;
    expect(cluster.options.redisOptions?.commandTimeout).toBe(900);
    expect(cluster.options.redisOptions?.socketTimeout).toBe(2_700);
    for (const connection of [plain, set, blocking, copy, cluster]) connection.disconnect();
  });
});
