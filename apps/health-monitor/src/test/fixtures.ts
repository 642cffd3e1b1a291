import type { GroupReport, InstanceRecord, RedisReport, RedisServerInfo, StreamReport } from '../collectors';
import type { HealthThresholds } from '../config';

/** Thresholds for unit tests. */
export const THRESHOLDS: HealthThresholds = { maxLag: 100, pendingGrowthChecks: 3, memoryShare: 0.8, requireAof: true };

/** INFO facts of a healthy server, with `overrides` merged one level deep. */
export function serverInfo(overrides: Partial<{ [K in keyof RedisServerInfo]: Partial<RedisServerInfo[K]> }> = {}): RedisServerInfo {
  const base: RedisServerInfo = {
    version: '7.0.15', mode: 'standalone', os: 'Linux', runId: 'r', processId: '1', tcpPort: '6379', uptimeSeconds: 10, serverTimeMs: 1_000_000,
    replication: { role: 'master', connectedReplicas: 0 },
    memory: { usedBytes: 1_000_000, peakBytes: 2_000_000, maxBytes: 0, fragmentationRatio: 1.2, policy: 'noeviction' },
    clients: { connected: 3, blocked: 1, rejected: 0 },
    stats: { commandsProcessed: 100, keyspaceHits: 5, keyspaceMisses: 2, evictedKeys: 0, expiredKeys: 0 },
    persistence: { aofEnabled: true, aofLastWriteStatus: 'ok', rdbLastSaveTime: 1_700_000_000, rdbLastBgsaveStatus: 'ok' },
    keyspace: [{ db: 'db0', keys: 7, expires: 1 }],
  };
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] = typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object' ? { ...current, ...value } : value;
  }
  return merged as unknown as RedisServerInfo;
}

/** A reachable single server. */
export function redisUp(info: RedisServerInfo = serverInfo()): RedisReport {
  return { mode: 'standalone', reachable: true, nodes: [{ address: '127.0.0.1:6379', reachable: true, latencyMs: 0.4, info }] };
}

/** An unreachable single server. */
export function redisDown(error = 'connect ECONNREFUSED 127.0.0.1:6379'): RedisReport {
  return { mode: 'standalone', reachable: false, error, nodes: [{ address: '127.0.0.1:6379', reachable: false, error }] };
}

/** A group with `overrides`. */
export function group(overrides: Partial<GroupReport> = {}): GroupReport {
  return { name: 'g', lastDeliveredId: '1-0', entriesRead: 1, lag: 0, lagEstimated: false, pending: 0, consumers: [], ...overrides };
}

/** An existing stream with `groups`. */
export function stream(key: string, groups: GroupReport[] = [], overrides: Partial<StreamReport> = {}): StreamReport {
  return { name: key, key, exists: true, length: 10, firstId: '1-0', lastGeneratedId: '10-0', entriesAdded: 10, groups, dlq: { key: `${key}:dlq`, length: 0 }, ...overrides };
}

/** A heartbeat registry record. */
export function record(service: string, instance: string, lastSeenMs: number, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return { service, instance, version: '1.0.0', startedAt: '2024-01-01T00:00:00.000Z', uptimeSeconds: 5, status: 'healthy', lastSeenMs, ...overrides };
}
