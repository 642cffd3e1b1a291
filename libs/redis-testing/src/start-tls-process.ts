import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { generateTestCertificates } from './generate-test-certificates';
import { nodeServerArgs } from './node-server-args';
import { processRedisServer } from './process-redis-server';
import { randomPassword } from './random-password';
import { RedisServerProcess } from './redis-server-process';
import type { RedisTestServer } from './redis-test-server';
import type { StartRedisOptions } from './start-redis-options';

/**
 * Starts `tls` mode: a `redis-server` that serves TLS only (plain TCP off), with a CA and
 * a server certificate for 127.0.0.1 and localhost made for this test in its own
 * directory, and a generated password (`requirepass`, i.e. the `default` user).
 */
export async function startTlsProcess(options: StartRedisOptions): Promise<RedisTestServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rebal-redis-tls-'));
  let certificates;
  try {
    certificates = await generateTestCertificates({ dir, hosts: [host, 'localhost'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { ca, ...tlsFiles } = certificates;
  const password = randomPassword();
  const username = 'default';
  const url = `rediss://${username}:${password}@${host}:${port}/0`;
  return processRedisServer({
    mode: 'tls',
    url,
    adminUrl: url,
    env: { REDIS_URL: url, REDIS_TLS_CA_FILE: tlsFiles.caFile },
    nodes: [{ host, port }],
    username,
    password,
    tls: { caFile: tlsFiles.caFile, ca },
    processes: [new RedisServerProcess({ port, dir, tls: tlsFiles, config: `requirepass ${password}`, args: nodeServerArgs(options) })],
    rootDir: dir,
  });
}
