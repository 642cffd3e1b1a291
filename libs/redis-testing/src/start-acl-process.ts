import { freePort } from './free-port';
import { nodeServerArgs } from './node-server-args';
import { processRedisServer } from './process-redis-server';
import { randomPassword } from './random-password';
import { RedisServerProcess } from './redis-server-process';
import type { RedisTestServer } from './redis-test-server';
import type { StartRedisOptions } from './start-redis-options';

/** ACL user names and rules are single tokens; anything else would break the generated redis.conf. */
const TOKEN = /^[^\s"'>]+$/;

/**
 * Starts `acl` mode: a `redis-server` with an application user (`rebal`, rules
 * `~* &* +@all` unless {@link StartRedisOptions.aclRules} says otherwise) and a generated
 * password, and the `default` user behind a second generated password, so a client
 * without credentials gets NOAUTH and a wrong password WRONGPASS.
 */
export async function startAclProcess(options: StartRedisOptions): Promise<RedisTestServer> {
  const host = '127.0.0.1';
  const username = options.aclUser ?? 'rebal';
  const rules = options.aclRules ?? '~* &* +@all';
  if (!TOKEN.test(username) || username === 'default') {
    throw new Error(`startRedis: aclUser must be one word other than "default", got "${username}"`);
  }
  if (!rules.split(/\s+/).every((rule) => TOKEN.test(rule))) {
    throw new Error('startRedis: aclRules must be space-separated ACL rules without quotes or ">"');
  }
  const port = await freePort();
  const password = randomPassword();
  const adminPassword = randomPassword();
  const url = `redis://${username}:${password}@${host}:${port}/0`;
  const config = [
    `user default on >${adminPassword} ~* &* +@all`,
    `user ${username} on >${password} ${rules}`,
  ].join('\n');
  return processRedisServer({
    mode: 'acl',
    url,
    adminUrl: `redis://default:${adminPassword}@${host}:${port}/0`,
    env: { REDIS_URL: url },
    nodes: [{ host, port }],
    username,
    password,
    processes: [new RedisServerProcess({ port, config, args: nodeServerArgs(options) })],
  });
}
