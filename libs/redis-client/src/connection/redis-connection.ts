import type { Cluster, Redis } from 'ioredis';

/**
 * A connection to the durable Redis: a single server (plain, TLS, behind Sentinel) or a
 * Cluster. Everything in this library takes one of these, created by
 * `createRedisConnection`, rather than building its own.
 */
export type RedisConnection = Redis | Cluster;
