import Redis from 'ioredis';
import { existsSync } from 'node:fs';
import { detectRedisTestServer } from './detect-redis-test-server';
import { startRedis } from './start-redis';
import { probeRawSocket } from './test/probe-raw-socket';
import { MIN_MAJOR, serverEngine } from './test/server-engine';

const containerRuntimeLikely =
  Boolean(process.env['DOCKER_HOST']) || existsSync('/var/run/docker.sock') || existsSync('/run/podman/podman.sock');

describe('startRedis (standalone)', () => {
  it('starts a server that answers PING and keeps AOF data across a restart', async () => {
    const server = await startRedis();
    const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: null });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      await client.set('survives', 'yes');
      await server.restart();
      await expect(client.get('survives')).resolves.toBe('yes');
    } finally {
      client.disconnect();
      await server.dispose();
    }
  }, 30_000);

  it('describes a process server without credentials', async () => {
    const server = await startRedis({ runtime: 'process', appendonly: false });
    try {
      const { port } = server.nodes[0];
      expect(server).toMatchObject({ mode: 'standalone', runtime: 'process', url: `redis://127.0.0.1:${port}/0` });
      expect(server.adminUrl).toBe(server.url);
      expect(server.env).toEqual({ REDIS_URL: server.url });
      expect(server.processes.map((node) => node.port)).toEqual([port]);
      expect(server.password).toBeUndefined();
      expect(server.tls).toBeUndefined();
    } finally {
      await server.dispose();
    }
  });

  it('runs the server REDIS_TEST_SERVER names: redis-server 7 by default, valkey-server 8 with valkey', async () => {
    const { engine } = detectRedisTestServer();
    const server = await startRedis({ runtime: 'process', appendonly: false });
    const client = new Redis(server.url, { lazyConnect: true });
    try {
      await client.connect();
      const running = await serverEngine(client);
      expect(running.engine).toBe(engine);
      expect(running.major).toBeGreaterThanOrEqual(MIN_MAJOR[engine]);
    } finally {
      client.disconnect();
      await server.dispose();
    }
  });

  it('applies args to the server', async () => {
    const server = await startRedis({ runtime: 'process', args: ['--maxmemory-policy', 'allkeys-lru'] });
    const client = new Redis(server.url, { lazyConnect: true });
    try {
      await client.connect();
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    } finally {
      client.disconnect();
      await server.dispose();
    }
  });

  it('refuses connections after dispose, and a second dispose is harmless', async () => {
    const server = await startRedis({ appendonly: false });
    await server.dispose();
    await server.dispose();
    await expect(probeRawSocket(server.nodes[0].port, 'PING\r\n')).resolves.toMatchObject({ end: 'ECONNREFUSED' });
    await expect(server.start()).rejects.toThrow(/disposed/);
  });

  it('refuses the container runtime for the modes that only run as processes', async () => {
    await expect(startRedis({ mode: 'cluster', runtime: 'container' })).rejects.toMatchObject({
      code: 'REDIS_TEST_UNSUPPORTED_IN_CONTAINER',
      mode: 'cluster',
    });
  });

  (containerRuntimeLikely ? it.skip : it)('fails clearly when the container runtime is forced but none answers', async () => {
    const { image } = detectRedisTestServer();
    await expect(startRedis({ runtime: 'container' })).rejects.toThrow(`cannot start a Redis container from ${image}`);
  });
});
