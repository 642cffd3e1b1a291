import { detectRedisTestRuntime } from './detect-redis-test-runtime';
import type { RedisTestServer } from './redis-test-server';
import { startAclProcess } from './start-acl-process';
import { startClusterProcess } from './start-cluster-process';
import type { StartRedisOptions } from './start-redis-options';
import { startStandaloneContainer } from './start-standalone-container';
import { startStandaloneProcess } from './start-standalone-process';
import { startTlsProcess } from './start-tls-process';
import { UnsupportedInContainerError } from './unsupported-in-container-error';

export type { RedisTestMode, RedisTestServer } from './redis-test-server';
export type { StartRedisOptions } from './start-redis-options';

/**
 * Starts a real Redis for a test and resolves once it serves (a cluster: once every node
 * reports `cluster_state:ok`). `standalone` runs in a testcontainers container where a
 * container runtime answers (see `detectRedisTestRuntime`), else as a `redis-server`
 * process on a free loopback port in a temporary directory; `tls`, `acl` and `cluster`
 * always run as processes (whatever `REDIS_TEST_RUNTIME` says; an explicit
 * `runtime: 'container'` option throws {@link UnsupportedInContainerError}).
 * Always pair it with `dispose()` (`useRedis` does that for jest). If the start fails
 * half-way, whatever had started is stopped before the error is thrown.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisTestServer> {
  const mode = options.mode ?? 'standalone';
  // Asked for by this call, not only preferred through REDIS_TEST_RUNTIME: refuse rather than ignore.
  if (mode !== 'standalone' && options.runtime === 'container') throw new UnsupportedInContainerError(mode);
  switch (mode) {
    case 'standalone': {
      const runtime = await detectRedisTestRuntime(options.runtime === undefined ? {} : { setting: options.runtime });
      return runtime === 'container' ? startStandaloneContainer(options) : startStandaloneProcess(options);
    }
    case 'tls':
      return startTlsProcess(options);
    case 'acl':
      return startAclProcess(options);
    case 'cluster':
      return startClusterProcess(options);
    default:
      throw new Error(`startRedis: unknown mode "${String(mode satisfies never)}"`);
  }
}
