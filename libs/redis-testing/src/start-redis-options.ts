import type { RedisTestMode } from './redis-test-server';

/** Where {@link StartRedisOptions.runtime} can point: detect, or force one runtime. */
export type RedisTestRuntimeSetting = 'auto' | 'process' | 'container';

/** Options for `startRedis`. */
export interface StartRedisOptions {
  /** Deployment to start (default `standalone`). */
  mode?: RedisTestMode;
  /** Turn AOF on (`appendonly yes`, fsync everysec), as production Redis must be (default true). */
  appendonly?: boolean;
  /**
   * Extra server arguments for every node (`valkey-server` takes the same ones), e.g. `['--maxmemory-policy', 'allkeys-lru']`
   * (default none). In a cluster they must not add auth: the harness forms the cluster unauthenticated.
   */
  args?: string[];
  /**
   * What runs a `standalone` server: `auto` uses a testcontainers Redis container where a
   * container runtime answers and a `redis-server` process otherwise; `process` and
   * `container` force one. The other modes always run as processes: they ignore
   * `REDIS_TEST_RUNTIME`, and an explicit `container` here makes them throw.
   * Default: the `REDIS_TEST_RUNTIME` environment variable, else `auto`.
   */
  runtime?: RedisTestRuntimeSetting;
  /**
   * Image of a `standalone` server run as a container (default `redis:7.0`, or
   * `valkey/valkey:8.0` under `REDIS_TEST_SERVER=valkey`: the versions the process runtime uses).
   */
  image?: string;
  /**
   * ACL rules of the application user in `acl` mode, after `on >password` (default
   * `~* &* +@all`). Narrow them to test what a restricted user can and cannot do.
   */
  aclRules?: string;
  /** Name of the application user in `acl` mode (default `rebal`). */
  aclUser?: string;
  /** How long a cluster may take to report `cluster_state:ok` on every node after a start (default 20 s). */
  clusterReadyTimeoutMs?: number;
}
