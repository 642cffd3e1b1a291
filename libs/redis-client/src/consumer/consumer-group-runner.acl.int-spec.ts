import { startRedis } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { describeConsumerSuite } from './test/consumer-group-runner.suite';

/**
 * An ACL user that may run stream commands and nothing else (plus what ioredis needs to
 * connect: INFO for its ready check, QUIT): proof that publishing and consuming need no
 * more than `+@stream`.
 */
const LEAST_PRIVILEGE = '~* +@stream +info +ping +quit';

describeConsumerSuite('acl, stream commands only', () => startRedis({ mode: 'acl', aclRules: LEAST_PRIVILEGE }), (server) => ({
  command: new Redis(server.url, { maxRetriesPerRequest: null }),
  blocking: new Redis(server.url, { maxRetriesPerRequest: null }),
}));

describe('the least-privilege ACL user of the suite above', () => {
  it('is refused anything outside stream commands, so the suite proves what it claims', async () => {
    const server = await startRedis({ mode: 'acl', aclRules: LEAST_PRIVILEGE });
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    try {
      await expect(client.xlen('any-stream')).resolves.toBe(0);
      await expect(client.set('key', 'value')).rejects.toThrow(/NOPERM/);
      await expect(client.call('CLIENT', 'LIST')).rejects.toThrow(/NOPERM/);
    } finally {
      await client.quit();
      await server.dispose();
    }
  });
});
