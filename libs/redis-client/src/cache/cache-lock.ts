import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RedisConnection } from '../connection/redis-connection';
import { LuaScript } from '../scripts/lua-script';

const RELEASE_LOCK = new LuaScript(join(__dirname, 'release-lock.lua'));

/** A random token that identifies one holder of a load lock. */
export function newLockToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Takes the load lock `lockKey` for `ttlMs` milliseconds (`SET lockKey token NX PX ttlMs`).
 * Resolves `true` when this caller now holds it, `false` when someone else does.
 */
export async function acquireLock(redis: RedisConnection, lockKey: string, token: string, ttlMs: number): Promise<boolean> {
  return (await redis.set(lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
}

/** Whether anyone holds the load lock `lockKey`. */
export async function isLocked(redis: RedisConnection, lockKey: string): Promise<boolean> {
  return (await redis.exists(lockKey)) === 1;
}

/**
 * Releases `lockKey` if `token` still owns it (see `release-lock.lua`); on a Cluster it is
 * routed by the lock key alone. Resolves `true` when the lock was deleted.
 */
export async function releaseLock(redis: RedisConnection, lockKey: string, token: string): Promise<boolean> {
  return (await RELEASE_LOCK.run(redis, [lockKey], [token])) === 1;
}
