import Redis from 'ioredis';
import { connect } from 'node:net';
import { startRedis } from './start-redis';

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

  it('refuses connections after dispose', async () => {
    const server = await startRedis({ appendonly: false });
    await server.dispose();
    const { host, port } = server.nodes[0];
    const refused = new Promise<string>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    await expect(refused).resolves.toBe('ECONNREFUSED');
  });
});
