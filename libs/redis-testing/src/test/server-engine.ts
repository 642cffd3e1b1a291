import type Redis from 'ioredis';
import type { RedisTestEngine } from '../detect-redis-test-server';

/** What a running server says it is in `INFO server`. */
export interface ServerEngine {
  engine: RedisTestEngine;
  /** Its own version: `valkey_version` on Valkey (whose `redis_version` stays 7.2.4), else `redis_version`. */
  version: string;
  /** The major part of `version`. */
  major: number;
}

/** Asks a connected client's server which engine and version it runs. */
export async function serverEngine(client: Redis): Promise<ServerEngine> {
  const info = await client.info('server');
  const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  const engine: RedisTestEngine = field('server_name') === 'valkey' ? 'valkey' : 'redis';
  const version = (engine === 'valkey' ? field('valkey_version') : field('redis_version')) ?? '0';
  return { engine, version, major: Number(version.split('.')[0]) };
}

/** The oldest major version the harness is tested with, per engine (Redis 7.0, Valkey 8.0). */
export const MIN_MAJOR: Record<RedisTestEngine, number> = { redis: 7, valkey: 8 };
