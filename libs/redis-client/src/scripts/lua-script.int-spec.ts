import { startRedis, useRedis, type RedisTestServer } from '@rebal/redis-testing';
import Redis, { Cluster } from 'ioredis';
import { join } from 'node:path';
import type { RedisConnection } from '../connection/redis-connection';
import { keySlot } from '../connection/key-slot';
import { LuaScript } from './lua-script';

const ECHO = new LuaScript(join(__dirname, 'test', 'echo-keys.lua'));

let sequence = 0;
/** A hash tag no other test uses, so every key of one test shares a slot. */
const uniqueTag = () => `{lua-${process.pid}-${++sequence}}`;

/** EVAL and EVALSHA calls the server has run so far (INFO commandstats). */
async function scriptCalls(redis: Redis): Promise<{ eval: number; evalsha: number }> {
  const stats = await redis.info('commandstats');
  const calls = (name: string) => Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

describe('LuaScript', () => {
  const connections: RedisConnection[] = [];
  // Registered before useRedis so it runs first: connections quit while the server still answers.
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  });
  const redis = useRedis({ appendonly: false });
  const connect = (): Redis => {
    const connection = new Redis(redis.server.url);
    connections.push(connection);
    return connection;
  };

  it('runs with any number of keys and arguments and resolves with the reply', async () => {
    const connection = connect();
    const tag = uniqueTag();
    expect(await ECHO.run(connection, [`${tag}:a`, `${tag}:b`, `${tag}:c`], ['x', 7])).toEqual([1, 1, 1, 'x', '7']);
    expect(await ECHO.run(connection, [`${tag}:a`])).toEqual([2]);
    expect(await ECHO.run(connection, [], ['only', 'args'])).toEqual(['only', 'args']);
  });

  it('sends the script once per connection, then only its SHA, and answers NOSCRIPT by sending it again', async () => {
    const probe = connect();
    const connection = connect();
    const key = `${uniqueTag()}:n`;
    const start = await scriptCalls(probe);
    for (let i = 1; i <= 5; i++) expect(await ECHO.run(connection, [key])).toEqual([i]);
    expect(await scriptCalls(probe)).toEqual({ eval: start.eval + 1, evalsha: start.evalsha + 4 });

    await probe.script('FLUSH');
    expect(await ECHO.run(connection, [key])).toEqual([6]);
    // The EVALSHA answered NOSCRIPT, then the script went again whole.
    expect(await scriptCalls(probe)).toEqual({ eval: start.eval + 2, evalsha: start.evalsha + 5 });
    expect(await ECHO.run(connection, [key])).toEqual([7]);
    expect((await scriptCalls(probe)).evalsha).toBe(start.evalsha + 6);
  });

  it('queues runs in a pipeline and a transaction, among other commands, also after SCRIPT FLUSH', async () => {
    const connection = connect();
    const tag = uniqueTag();
    const first = connection.pipeline();
    ECHO.queue(first, [`${tag}:p`], ['a']).set(`${tag}:plain`, 'v');
    ECHO.queue(first, [`${tag}:p`], ['b']);
    expect(await first.exec()).toEqual([[null, [1, 'a']], [null, 'OK'], [null, [2, 'b']]]);

    await connection.script('FLUSH');
    const second = connection.pipeline();
    for (let i = 0; i < 3; i++) ECHO.queue(second, [`${tag}:p`]);
    expect(await second.exec()).toEqual([[null, [3]], [null, [4]], [null, [5]]]);

    const transaction = connection.multi();
    ECHO.queue(transaction, [`${tag}:p`, `${tag}:q`]).get(`${tag}:plain`);
    expect(await transaction.exec()).toEqual([[null, [6, 1]], [null, 'v']]);
  });

  it('passes the script error on, without retrying it', async () => {
    const connection = connect();
    const tag = uniqueTag();
    await connection.set(`${tag}:text`, 'not a number');
    await expect(ECHO.run(connection, [`${tag}:text`])).rejects.toThrow(/not an integer/);
  });

  describe('on a Cluster', () => {
    let cluster: RedisTestServer;
    beforeAll(async () => {
      cluster = await startRedis({ mode: 'cluster' });
    }, 60_000);
    afterAll(() => cluster?.dispose());

    function connectCluster(): Cluster {
      const nodes = cluster.env['REDIS_CLUSTER_NODES'].split(',').map((hostPort) => {
        const [host, port] = hostPort.split(':');
        return { host, port: Number(port) };
      });
      const connection = new Cluster(nodes);
      connections.push(connection);
      return connection;
    }

    it('runs on the node of its keys, for keys on every node, alone and in per-node pipelines', async () => {
      const connection = connectCluster();
      await connection.script('FLUSH');
      // Tags spread over the slot range, so the three masters each get some.
      const tags = Array.from({ length: 30 }, () => uniqueTag());
      expect(new Set(tags.map((tag) => Math.floor(keySlot(tag) / 5462))).size).toBe(3);
      for (const tag of tags) expect(await ECHO.run(connection, [`${tag}:a`, `${tag}:b`], ['c'])).toEqual([1, 1, 'c']);

      for (const tag of tags) {
        const pipeline = connection.pipeline();
        ECHO.queue(pipeline, [`${tag}:a`]);
        ECHO.queue(pipeline, [`${tag}:b`]);
        expect(await pipeline.exec()).toEqual([[null, [2]], [null, [2]]]);
      }
    }, 30_000);
  });
});
