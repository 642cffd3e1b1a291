import { readFileSync } from 'node:fs';
import type { RedisConnection } from '@rebal/redis-client';
import type { E2eStack } from '../stack';

/** Key families of the platform (DESIGN.md key layout), and `other` for anything else. */
export type KeyFamily = 'streams' | 'alerts' | 'idempotency' | 'sessions' | 'health-monitor' | 'cache' | 'notifications' | 'price-history' | 'other';

/** Families whose keys must all carry a TTL, so they cannot pile up. */
const EXPIRING: readonly KeyFamily[] = ['idempotency', 'sessions', 'cache', 'price-history'];

/** Memory and keys at one moment. */
export interface ResourceSnapshot {
  /** Redis `used_memory`, bytes. */
  readonly redisUsedMemory: number;
  /** Keys per family. */
  readonly keys: Readonly<Record<KeyFamily, number>>;
  /** Keys of an expiring family without a TTL. */
  readonly keysWithoutTtl: readonly string[];
  /** Resident memory of each running replica, KiB (from /proc). */
  readonly rssKiB: Readonly<Record<string, number>>;
  /** Consumer groups on `market_data`. */
  readonly groups: number;
}

/** Which family a key belongs to. */
export function keyFamily(key: string): KeyFamily {
  if (/^(market_data|portfolio_updates|risk_events|alerts|service_heartbeats)(:dlq)?$/.test(key)) return 'streams';
  if (key.startsWith('{alerts}:processed:')) return 'idempotency';
  if (key.startsWith('{alerts}:')) return 'alerts';
  if (key.startsWith('session:')) return 'sessions';
  if (key.startsWith('health-monitor:')) return 'health-monitor';
  if (key.startsWith('cache:') || key.startsWith('cache-lock:')) return 'cache';
  if (key.startsWith('{rebal-notify}:')) return 'notifications';
  if (key.startsWith('alert-service:prices:')) return 'price-history';
  return 'other';
}

/** Reads Redis memory, every key (SCAN) by family, and each running replica's resident memory. */
export async function readResources(stack: E2eStack, admin: RedisConnection): Promise<ResourceSnapshot> {
  const keys: Record<KeyFamily, number> = { streams: 0, alerts: 0, idempotency: 0, sessions: 0, 'health-monitor': 0, cache: 0, notifications: 0, 'price-history': 0, other: 0 };
  const keysWithoutTtl: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await admin.scan(cursor, 'COUNT', 1000)) as [string, string[]];
    cursor = next;
    for (const key of batch) {
      const family = keyFamily(key);
      keys[family] += 1;
      if (EXPIRING.includes(family) && (await admin.pttl(key)) === -1) keysWithoutTtl.push(key);
      if (family === 'other') keysWithoutTtl.push(`${key} (unknown family)`);
    }
  } while (cursor !== '0');
  const memory = /used_memory:(\d+)/.exec(await admin.info('memory'));
  const rssKiB: Record<string, number> = {};
  for (const replica of stack.replicas) {
    const pid = replica.incarnations[replica.incarnations.length - 1]?.pid;
    if (!replica.running || pid === undefined) continue;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    rssKiB[replica.name] = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  const groups = ((await admin.xinfo('GROUPS', 'market_data')) as unknown[]).length;
  return { redisUsedMemory: Number(memory?.[1] ?? 0), keys, keysWithoutTtl, rssKiB, groups };
}

/**
 * Judges the resources after a run against those before it: no key outside the platform's
 * families, every key of an expiring family with a TTL, and no replica above `maxRssKiB`
 * (default 400 MiB; they use about a quarter of that).
 */
export function judgeResources(before: ResourceSnapshot, after: ResourceSnapshot, maxRssKiB = 400 * 1024): string[] {
  const problems: string[] = [];
  if (after.keys.other > 0) problems.push(`${after.keys.other} key(s) outside the platform's key families`);
  if (after.keysWithoutTtl.length > 0) problems.push(`keys that never expire: ${after.keysWithoutTtl.slice(0, 5).join(', ')}`);
  for (const [name, rss] of Object.entries(after.rssKiB)) {
    if (rss > maxRssKiB) problems.push(`${name} uses ${Math.round(rss / 1024)} MiB (before: ${Math.round((before.rssKiB[name] ?? 0) / 1024)} MiB)`);
  }
  if (after.groups > before.groups) problems.push(`market_data has ${after.groups} consumer groups, ${before.groups} before the faults: gone gateways' groups were not reaped`);
  return problems;
}
