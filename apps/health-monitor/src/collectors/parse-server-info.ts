import { parseCommaPairs, parseInfo, toNumber } from '@rebal/redis-client';
import type { RedisServerInfo } from './redis-report';

/** Reads the facts the monitor reports from `INFO` text and, in Cluster mode, `CLUSTER INFO` text. */
export function parseServerInfo(infoText: string, clusterInfoText?: string): RedisServerInfo {
  const info = parseInfo(infoText);
  const keyspace = Object.entries(info)
    .filter(([key]) => /^db\d+$/.test(key))
    .map(([db, value]) => {
      const pairs = parseCommaPairs(value);
      return { db, keys: toNumber(pairs['keys']), expires: toNumber(pairs['expires']) };
    });
  const server: RedisServerInfo = {
    version: info['redis_version'] ?? '',
    mode: info['redis_mode'] ?? '',
    os: info['os'] ?? '',
    runId: info['run_id'] ?? '',
    processId: info['process_id'] ?? '',
    tcpPort: info['tcp_port'] ?? '',
    uptimeSeconds: toNumber(info['uptime_in_seconds']),
    serverTimeMs: info['server_time_usec'] === undefined ? null : Math.floor(toNumber(info['server_time_usec']) / 1000),
    replication: {
      role: info['role'] ?? '',
      connectedReplicas: toNumber(info['connected_slaves']),
      ...(info['master_host'] !== undefined && { masterHost: info['master_host'], masterPort: info['master_port'] ?? '' }),
      ...(info['master_link_status'] !== undefined && { masterLinkUp: info['master_link_status'] === 'up' }),
    },
    memory: {
      usedBytes: toNumber(info['used_memory']),
      peakBytes: toNumber(info['used_memory_peak']),
      maxBytes: toNumber(info['maxmemory']),
      fragmentationRatio: toNumber(info['mem_fragmentation_ratio']),
      policy: info['maxmemory_policy'] ?? '',
    },
    clients: {
      connected: toNumber(info['connected_clients']),
      blocked: toNumber(info['blocked_clients']),
      rejected: toNumber(info['rejected_connections']),
    },
    stats: {
      commandsProcessed: toNumber(info['total_commands_processed']),
      keyspaceHits: toNumber(info['keyspace_hits']),
      keyspaceMisses: toNumber(info['keyspace_misses']),
      evictedKeys: toNumber(info['evicted_keys']),
      expiredKeys: toNumber(info['expired_keys']),
    },
    persistence: {
      aofEnabled: info['aof_enabled'] === '1',
      aofLastWriteStatus: info['aof_last_write_status'] ?? '',
      rdbLastSaveTime: toNumber(info['rdb_last_save_time']),
      rdbLastBgsaveStatus: info['rdb_last_bgsave_status'] ?? '',
    },
    keyspace,
  };
  if (clusterInfoText !== undefined) {
    const cluster = parseInfo(clusterInfoText);
    server.cluster = {
      state: cluster['cluster_state'] ?? '',
      slotsAssigned: toNumber(cluster['cluster_slots_assigned']),
      slotsOk: toNumber(cluster['cluster_slots_ok']),
      slotsFail: toNumber(cluster['cluster_slots_fail']),
      knownNodes: toNumber(cluster['cluster_known_nodes']),
      size: toNumber(cluster['cluster_size']),
    };
  }
  return server;
}
