import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisConnection } from '../connection/redis-connection';

const RELEASE_LOCK_LUA = readFileSync(join(__dirname, 'release-lock.lua'), 'utf8');
const RELEASE_LOCK_SHA = createHash('sha1').update(RELEASE_LOCK_LUA).digest('hex');

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
 * Releases `lockKey` if `token` still owns it (see `release-lock.lua`): EVALSHA, and EVAL
 * when the server does not have the script yet (first use, or after a restart). On a
 * Cluster both are routed by the lock key alone. Resolves `true` when the lock was deleted.
 */
export async function releaseLock(redis: RedisConnection, lockKey: string, token: string): Promise<boolean> {
  try {
    return (await redis.evalsha(RELEASE_LOCK_SHA, 1, lockKey, token)) === 1;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return (await redis.eval(RELEASE_LOCK_LUA, 1, lockKey, token)) === 1;
  }
}
