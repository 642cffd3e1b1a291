import { useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { watchReconnects } from './watch-reconnects';

const redis = useRedis();

describe('watchReconnects', () => {
  it('reports a reconnect after the server restarts, but not the first connect', async () => {
    const connection = new Redis(redis.server.url, { maxRetriesPerRequest: null, lazyConnect: true });
    let reconnects = 0;
    const unwatch = watchReconnects(connection, () => (reconnects += 1));
    try {
      await connection.connect();
      expect(await connection.ping()).toBe('PONG');
      expect(reconnects).toBe(0);
      await redis.server.restart();
      await waitFor(() => reconnects === 1, { timeoutMs: 10_000 });
      unwatch();
      await redis.server.restart();
      await connection.ping();
      expect(reconnects).toBe(1);
    } finally {
      unwatch();
      connection.disconnect();
    }
  }, 30_000);
});
