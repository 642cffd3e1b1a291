import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { SecureRedis, type RedisAclUser } from './secure-redis';

describe('SecureRedis', () => {
  let redis: SecureRedis;
  const connections: RedisConnection[] = [];

  function connect(user: RedisAclUser | 'default'): RedisConnection {
    const connection = createRedisConnection(parseRedisConfig(redis.env(user)).main, { name: `secure-redis-spec-${user}` });
    connections.push(connection);
    return connection;
  }

  beforeAll(async () => {
    redis = await SecureRedis.start();
  });

  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await redis?.dispose();
  });

  it('serves TLS only, with the users of scripts/redis-acl.sh, and logs what a user may not do', async () => {
    const producer = connect('rebal-producer');
    expect(await producer.xadd('market_data', '*', 'data', '{}')).toMatch(/^\d+-\d+$/);
    await expect(producer.xrange('market_data', '-', '+')).rejects.toThrow(/NOPERM/);
    await expect(producer.xadd('alerts', '*', 'data', '{}')).rejects.toThrow(/NOPERM/);
    const refusals = await redis.aclLog();
    expect(refusals.map((entry) => `${entry.username} ${entry.object}`)).toEqual(expect.arrayContaining(['rebal-producer xrange', 'rebal-producer alerts']));
    await redis.resetAclLog();
    expect(await redis.aclLog()).toEqual([]);
  });

  it('keeps its users and its data across a SIGKILL and restart', async () => {
    const admin = connect('default');
    const id = await admin.xadd('risk_events', '*', 'data', '{"kept":true}');
    await redis.kill();
    await redis.start();
    const gateway = connect('rebal-gateway');
    const entries = await gateway.xrange('risk_events', '-', '+');
    expect(entries.map(([entryId]) => entryId)).toContain(id);
  });
});
