import { basename } from 'node:path';
import { InvalidRedisTestServerError } from './invalid-redis-test-server-error';

/** The server software a test Redis runs: Redis, or Valkey (the Redis 7.2 fork, wire-compatible). */
export type RedisTestEngine = 'redis' | 'valkey';

/** What the harness starts for every test server, from {@link detectRedisTestServer}. */
export interface RedisTestServerSoftware {
  readonly engine: RedisTestEngine;
  /** The server binary of the process runtime, e.g. `redis-server` (from PATH) or an absolute path. */
  readonly binary: string;
  /** Default image of the container runtime (`redis:7.0` or `valkey/valkey:8.0`). */
  readonly image: string;
  /** The server command inside that image. */
  readonly command: string;
  /** How to get the binary when it cannot run, for error messages. */
  readonly installHint: string;
}

const SOFTWARE: Record<RedisTestEngine, RedisTestServerSoftware> = {
  redis: {
    engine: 'redis',
    binary: 'redis-server',
    image: 'redis:7.0',
    command: 'redis-server',
    installHint: 'install redis-server 7 (bash scripts/ensure-redis-server.sh) or set REDIS_SERVER_BIN',
  },
  valkey: {
    engine: 'valkey',
    binary: 'valkey-server',
    image: 'valkey/valkey:8.0',
    command: 'valkey-server',
    installHint: 'install valkey-server 8 (bash scripts/ensure-valkey-server.sh) or set REDIS_TEST_SERVER to its path',
  },
};

/**
 * Decides which server software every harness-started server runs (standalone, TLS, ACL,
 * cluster, and the container runtime's image), from `REDIS_TEST_SERVER`:
 * - unset, empty or `redis`: `redis-server` (or `REDIS_SERVER_BIN` when set);
 * - `valkey`: `valkey-server` from PATH;
 * - a path whose file name starts with `redis-server` or `valkey-server`: that binary, and
 *   the engine its name says.
 * The harness reads the variable here and nowhere else.
 * @throws InvalidRedisTestServerError for any other value
 */
export function detectRedisTestServer(env: Readonly<Record<string, string | undefined>> = process.env): RedisTestServerSoftware {
  const setting = (env['REDIS_TEST_SERVER'] ?? '').trim();
  const lower = setting.toLowerCase();
  if (lower === '' || lower === 'redis') return { ...SOFTWARE.redis, binary: env['REDIS_SERVER_BIN']?.trim() || SOFTWARE.redis.binary };
  if (lower === 'valkey') return SOFTWARE.valkey;
  if (setting.includes('/')) {
    const name = basename(setting);
    for (const engine of ['redis', 'valkey'] as const) {
      if (name.startsWith(`${engine}-server`)) return { ...SOFTWARE[engine], binary: setting };
    }
  }
  throw new InvalidRedisTestServerError(setting);
}
