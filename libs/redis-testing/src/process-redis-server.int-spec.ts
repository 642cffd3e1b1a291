import { existsSync } from 'node:fs';
import { freePort } from './free-port';
import { processRedisServer } from './process-redis-server';
import { RedisServerProcess } from './redis-server-process';
import { probeRawSocket } from './test/probe-raw-socket';

describe('processRedisServer', () => {
  it('disposes the nodes that started when another node fails to start', async () => {
    const [goodPort, badPort] = [await freePort(), await freePort()];
    const good = new RedisServerProcess({ port: goodPort });
    const bad = new RedisServerProcess({ port: badPort, binary: '/nonexistent/redis-server' });
    const url = `redis://127.0.0.1:${goodPort}/0`;
    await expect(
      processRedisServer({
        mode: 'standalone',
        url,
        adminUrl: url,
        env: { REDIS_URL: url },
        nodes: [{ host: '127.0.0.1', port: goodPort }],
        processes: [good, bad],
      }),
    ).rejects.toThrow(/cannot run \/nonexistent\/redis-server/);
    expect(good.pid).toBeUndefined();
    await expect(probeRawSocket(goodPort, 'PING\r\n')).resolves.toMatchObject({ end: 'ECONNREFUSED' });
    expect(existsSync(good.dir)).toBe(false);
  });

  it('starts only the nodes that are down and stops all of them', async () => {
    const ports = [await freePort(), await freePort()];
    const url = `redis://127.0.0.1:${ports[0]}/0`;
    const server = await processRedisServer({
      mode: 'standalone',
      url,
      adminUrl: url,
      env: { REDIS_URL: url },
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      processes: ports.map((port) => new RedisServerProcess({ port })),
    });
    try {
      const [first, second] = server.processes;
      const firstPid = first?.pid;
      await second?.kill();
      await server.start();
      expect(first?.pid).toBe(firstPid);
      expect(second?.pid).toEqual(expect.any(Number));
      await server.stop();
      expect(server.processes.map((node) => node.pid)).toEqual([undefined, undefined]);
    } finally {
      await server.dispose();
    }
  });
});
