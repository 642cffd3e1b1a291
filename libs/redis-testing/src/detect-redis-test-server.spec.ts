import { detectRedisTestServer } from './detect-redis-test-server';
import { InvalidRedisTestServerError } from './invalid-redis-test-server-error';

describe('detectRedisTestServer', () => {
  it('runs redis-server from PATH in redis:7.0 when REDIS_TEST_SERVER is unset, empty or redis', () => {
    for (const env of [{}, { REDIS_TEST_SERVER: '' }, { REDIS_TEST_SERVER: ' Redis ' }]) {
      expect(detectRedisTestServer(env)).toMatchObject({ engine: 'redis', binary: 'redis-server', image: 'redis:7.0', command: 'redis-server' });
    }
  });

  it('keeps honouring REDIS_SERVER_BIN for the redis engine', () => {
    expect(detectRedisTestServer({ REDIS_SERVER_BIN: '/opt/redis/bin/redis-server' }).binary).toBe('/opt/redis/bin/redis-server');
    expect(detectRedisTestServer({ REDIS_TEST_SERVER: 'valkey', REDIS_SERVER_BIN: '/opt/redis/bin/redis-server' }).binary).toBe('valkey-server');
  });

  it('runs valkey-server from PATH in valkey/valkey:8.0 with valkey', () => {
    expect(detectRedisTestServer({ REDIS_TEST_SERVER: 'valkey' })).toMatchObject({
      engine: 'valkey',
      binary: 'valkey-server',
      image: 'valkey/valkey:8.0',
      command: 'valkey-server',
    });
  });

  it('takes a binary path and its engine from the file name', () => {
    expect(detectRedisTestServer({ REDIS_TEST_SERVER: '/opt/valkey-8/bin/valkey-server' })).toMatchObject({
      engine: 'valkey',
      binary: '/opt/valkey-8/bin/valkey-server',
    });
    expect(detectRedisTestServer({ REDIS_TEST_SERVER: './build/redis-server-7.2' })).toMatchObject({
      engine: 'redis',
      binary: './build/redis-server-7.2',
    });
  });

  it.each(['keydb', '/usr/bin/keydb-server', 'valkey-server'])('rejects REDIS_TEST_SERVER=%s with a stable code', (value) => {
    const detect = () => detectRedisTestServer({ REDIS_TEST_SERVER: value });
    expect(detect).toThrow(InvalidRedisTestServerError);
    expect(detect).toThrow(expect.objectContaining({ code: 'INVALID_REDIS_TEST_SERVER' }));
  });
});
