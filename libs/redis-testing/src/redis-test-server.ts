import type { RedisServerProcess } from './redis-server-process';

/**
 * Which kind of Redis deployment a test needs:
 * - `standalone`: one server, no auth, plain TCP.
 * - `tls`: one server that serves TLS only (certificates made for the test) and requires a password.
 * - `acl`: one server with an ACL user and password; unauthenticated clients are refused.
 * - `cluster`: a 3-master Redis Cluster (no replicas), all 16384 slots assigned.
 */
export type RedisTestMode = 'standalone' | 'tls' | 'acl' | 'cluster';

/** What runs the Redis: a `redis-server` child process, or a testcontainers container. */
export type RedisTestRuntime = 'process' | 'container';

/** Host and port of one Redis node. */
export interface RedisTestNode {
  readonly host: string;
  readonly port: number;
}

/** TLS material of a `tls` server: the CA that signed its certificate. */
export interface RedisTestTls {
  /** Path of the CA certificate (PEM), for `REDIS_TLS_CA_FILE`. */
  readonly caFile: string;
  /** The CA certificate itself (PEM), for an ioredis `tls: { ca }` option. */
  readonly ca: string;
}

/** A running Redis for one test file. */
export interface RedisTestServer {
  readonly mode: RedisTestMode;
  /** What runs it; only `standalone` can run in a container, every other mode is a process. */
  readonly runtime: RedisTestRuntime;
  /**
   * A `REDIS_URL` value that reaches it, with credentials where the mode needs them:
   * `redis://127.0.0.1:<port>/0` (standalone, and the first node of a cluster),
   * `rediss://default:<password>@127.0.0.1:<port>/0` (tls),
   * `redis://rebal:<password>@127.0.0.1:<port>/0` (acl).
   */
  readonly url: string;
  /**
   * A URL with every permission, for test setup and inspection: the same as `url` except in
   * `acl` mode, where it logs in as the password-protected `default` user.
   */
  readonly adminUrl: string;
  /**
   * Environment for `parseRedisConfig`: `REDIS_URL` always, `REDIS_TLS_CA_FILE` in `tls`
   * mode, `REDIS_CLUSTER_NODES` (`127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`) in `cluster` mode.
   */
  readonly env: Record<string, string>;
  /** Host and port of every node (one except in `cluster` mode). */
  readonly nodes: ReadonlyArray<RedisTestNode>;
  /** The user in `url` (`default` in tls mode, `rebal` in acl mode); absent without auth. */
  readonly username?: string;
  /** The generated password in `url`; absent without auth. Never log it. */
  readonly password?: string;
  /** The CA of a `tls` server; absent in other modes. */
  readonly tls?: RedisTestTls;
  /**
   * The `redis-server` processes, one per node, for tests that need to crash or pause a
   * single node (`kill()`). Empty when the runtime is `container`.
   */
  readonly processes: ReadonlyArray<RedisServerProcess>;
  /** Stops every node gracefully, as Redis going away would look to clients. */
  stop(): Promise<void>;
  /** Starts every node again on the same ports and data (AOF survives); a cluster is `ok` when it resolves. */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
  /** Stops everything and removes its files; safe to call twice. */
  dispose(): Promise<void>;
}
