import Redis from 'ioredis';
import { detectRedisTestServer } from './detect-redis-test-server';
import { startRedis } from './start-redis';
import { serverEngine } from './test/server-engine';
import { useRedis } from './use-redis';

describe('startRedis (acl)', () => {
  const redis = useRedis({ mode: 'acl' });
  const clients: Redis[] = [];
  const track = (client: Redis) => {
    clients.push(client);
    client.on('error', () => undefined);
    return client;
  };
  const noRetry = { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 } as const;

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('describes itself with the rebal user and a generated password in its URL', () => {
    const { server } = redis;
    const { port } = server.nodes[0];
    expect(server.username).toBe('rebal');
    expect(server.password).toMatch(/^[0-9a-f]{32}$/);
    expect(server.url).toBe(`redis://rebal:${server.password}@127.0.0.1:${port}/0`);
    expect(server.env).toEqual({ REDIS_URL: server.url });
    expect(server.adminUrl).toMatch(new RegExp(`^redis://default:[0-9a-f]{32}@127\\.0\\.0\\.1:${port}/0$`));
    expect(server.adminUrl).not.toContain(server.password);
  });

  it('lets the rebal user in with its password and run commands', async () => {
    const client = track(new Redis(redis.server.url, noRetry));
    await client.connect();
    expect(await client.call('ACL', 'WHOAMI')).toBe('rebal');
    await client.set('acl-spec:user-works', 'yes');
    expect(await client.get('acl-spec:user-works')).toBe('yes');
  });

  it('refuses a client without credentials with NOAUTH', async () => {
    const { host, port } = redis.server.nodes[0];
    const client = track(new Redis({ ...noRetry, host, port, enableReadyCheck: false }));
    await client.connect();
    await expect(client.ping()).rejects.toThrow(/NOAUTH/);
    await expect(client.get('acl-spec:no-auth')).rejects.toThrow(/NOAUTH/);
  });

  it('refuses a wrong password with WRONGPASS, for the rebal and the default user', async () => {
    const { server } = redis;
    const { host, port } = server.nodes[0];
    const client = track(new Redis({ ...noRetry, host, port, enableReadyCheck: false }));
    await client.connect();
    await expect(client.auth('rebal', 'not-the-password')).rejects.toThrow(/WRONGPASS/);
    await expect(client.auth('not-the-password')).rejects.toThrow(/WRONGPASS/);
    // The same connection gets in with the right password: the refusals were about the password.
    await expect(client.auth('rebal', server.password ?? '')).resolves.toBe('OK');
  });

  it('gives the admin URL the default user with every permission', async () => {
    const client = track(new Redis(redis.server.adminUrl, noRetry));
    await client.connect();
    expect(await client.call('ACL', 'WHOAMI')).toBe('default');
    expect(await client.call('ACL', 'GETUSER', 'rebal')).toBeTruthy();
  });

  it('runs the server REDIS_TEST_SERVER names', async () => {
    const client = track(new Redis(redis.server.adminUrl, noRetry));
    await client.connect();
    expect((await serverEngine(client)).engine).toBe(detectRedisTestServer().engine);
  });

  it('applies narrower rules to the application user when aclRules is given', async () => {
    const server = await startRedis({ mode: 'acl', aclUser: 'reader', aclRules: '~acl-spec:open:* +@read +ping', appendonly: false });
    const user = new Redis(server.url, { ...noRetry, enableReadyCheck: false });
    const admin = new Redis(server.adminUrl, noRetry);
    try {
      expect(server.url).toContain('redis://reader:');
      await Promise.all([user.connect(), admin.connect()]);
      await admin.set('acl-spec:open:key', 'readable');
      expect(await user.get('acl-spec:open:key')).toBe('readable');
      await expect(user.set('acl-spec:open:key', 'changed')).rejects.toThrow(/NOPERM/);
      await expect(user.get('acl-spec:closed')).rejects.toThrow(/NOPERM/);
    } finally {
      // Clients first: ioredis waits 2 s on disconnect() of a socket the server already closed.
      user.disconnect();
      admin.disconnect();
      await server.dispose();
    }
  });

  it('rejects an aclUser that would break the generated ACL', async () => {
    await expect(startRedis({ mode: 'acl', aclUser: 'two words' })).rejects.toThrow(/aclUser/);
    await expect(startRedis({ mode: 'acl', aclRules: '>sneaky +@all' })).rejects.toThrow(/aclRules/);
  });
});
