import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { detectRedisTestServer } from './detect-redis-test-server';
import { startRedis } from './start-redis';
import { probeRawSocket } from './test/probe-raw-socket';
import { serverEngine } from './test/server-engine';
import { useRedis } from './use-redis';

describe('startRedis (tls)', () => {
  const redis = useRedis({ mode: 'tls' });
  const clients: Redis[] = [];
  const track = (client: Redis) => {
    clients.push(client);
    client.on('error', () => undefined);
    return client;
  };
  // disconnectTimeout: a refused TLS socket never emits 'close', and ioredis would wait 2 s for it.
  const noRetry = { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3_000, disconnectTimeout: 100 } as const;

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  it('describes itself with a rediss URL carrying the password, the CA file and the CA', () => {
    const { server } = redis;
    const { port } = server.nodes[0];
    expect(server.runtime).toBe('process');
    expect(server.username).toBe('default');
    expect(server.password).toMatch(/^[0-9a-f]{32}$/);
    expect(server.url).toBe(`rediss://default:${server.password}@127.0.0.1:${port}/0`);
    expect(server.env).toEqual({ REDIS_URL: server.url, REDIS_TLS_CA_FILE: server.tls?.caFile });
    expect(readFileSync(server.tls?.caFile ?? '', 'utf8')).toBe(server.tls?.ca);
    expect(server.tls?.ca).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('answers PING over TLS to a client that trusts the CA and sends the password', async () => {
    const { server } = redis;
    const client = track(new Redis(server.url, { ...noRetry, tls: { ca: server.tls?.ca } }));
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    // Plain TCP is off: the only listener is the TLS port.
    expect(await client.config('GET', 'port')).toEqual(['port', '0']);
    expect(await client.config('GET', 'tls-port')).toEqual(['tls-port', String(server.nodes[0].port)]);
  });

  it('runs the server REDIS_TEST_SERVER names', async () => {
    const { server } = redis;
    const client = track(new Redis(server.url, { ...noRetry, tls: { ca: server.tls?.ca } }));
    await client.connect();
    expect((await serverEngine(client)).engine).toBe(detectRedisTestServer().engine);
  });

  it('never answers a plain-TCP client on its port', async () => {
    const { server } = redis;
    const outcome = await probeRawSocket(server.nodes[0].port, `AUTH default ${server.password}\r\nPING\r\n`);
    // The server hangs up on bytes that are not a TLS handshake (a close or a reset).
    expect(['closed', 'ECONNRESET']).toContain(outcome.end);
    expect(outcome.received).not.toContain('PONG');
    expect(outcome.received).not.toContain('+OK');
  });

  it('fails a plain-TCP ioredis client that has the right password', async () => {
    const { server } = redis;
    const { host, port } = server.nodes[0];
    const client = track(new Redis({ ...noRetry, host, port, password: server.password }));
    await expect(client.connect().then(() => client.ping())).rejects.toThrow();
  });

  it('answers NOAUTH to a TLS client without the password', async () => {
    const { server } = redis;
    const { host, port } = server.nodes[0];
    const client = track(new Redis({ ...noRetry, host, port, tls: { ca: server.tls?.ca }, enableReadyCheck: false }));
    await client.connect();
    await expect(client.ping()).rejects.toThrow(/NOAUTH/);
    await expect(client.auth('not-the-password')).rejects.toThrow(/WRONGPASS/);
  });

  it('is refused by a TLS client that does not trust the test CA', async () => {
    const { server } = redis;
    const client = track(new Redis(server.url, { ...noRetry, tls: {} }));
    const errors: Error[] = [];
    client.on('error', (error: Error) => errors.push(error));
    await expect(client.connect()).rejects.toThrow();
    expect(errors.map((error) => error.message).join('\n')).toMatch(/self[- ]signed|unable to (get|verify)/i);
  });

  it('keeps serving TLS with the same certificate and password after a restart', async () => {
    const server = await startRedis({ mode: 'tls' });
    const client = track(new Redis(server.url, { lazyConnect: true, tls: { ca: server.tls?.ca }, maxRetriesPerRequest: null, disconnectTimeout: 100 }));
    try {
      await client.connect();
      await client.set('tls-spec:restart', 'kept');
      await server.restart();
      await expect(client.get('tls-spec:restart')).resolves.toBe('kept');
    } finally {
      client.disconnect();
      await server.dispose();
    }
  }, 30_000);
});
