import { parseServerInfo } from './parse-server-info';

const INFO = [
  '# Server', 'redis_version:7.0.15', 'redis_mode:cluster', 'os:Linux 6.1', 'process_id:42', 'run_id:abc', 'tcp_port:7001',
  'server_time_usec:1700000000123456', 'uptime_in_seconds:77',
  '# Clients', 'connected_clients:5', 'blocked_clients:2',
  '# Memory', 'used_memory:1048576', 'used_memory_peak:2097152', 'maxmemory:4194304', 'maxmemory_policy:allkeys-lru', 'mem_fragmentation_ratio:1.53',
  '# Persistence', 'rdb_last_save_time:1700000000', 'rdb_last_bgsave_status:ok', 'aof_enabled:1', 'aof_last_write_status:err',
  '# Stats', 'total_commands_processed:1234', 'rejected_connections:3', 'expired_keys:4', 'evicted_keys:5', 'keyspace_hits:6', 'keyspace_misses:7',
  '# Replication', 'role:slave', 'master_host:10.0.0.1', 'master_port:6379', 'master_link_status:down', 'connected_slaves:0',
  '# Keyspace', 'db0:keys=10,expires=3,avg_ttl=0',
].join('\r\n');

describe('parseServerInfo', () => {
  it('reads every reported fact from INFO and CLUSTER INFO', () => {
    const info = parseServerInfo(INFO, 'cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_fail:0\r\ncluster_known_nodes:3\r\ncluster_size:3\r\n');
    expect(info).toEqual({
      version: '7.0.15', mode: 'cluster', os: 'Linux 6.1', runId: 'abc', processId: '42', tcpPort: '7001', uptimeSeconds: 77, serverTimeMs: 1_700_000_000_123,
      replication: { role: 'slave', connectedReplicas: 0, masterHost: '10.0.0.1', masterPort: '6379', masterLinkUp: false },
      memory: { usedBytes: 1_048_576, peakBytes: 2_097_152, maxBytes: 4_194_304, fragmentationRatio: 1.53, policy: 'allkeys-lru' },
      clients: { connected: 5, blocked: 2, rejected: 3 },
      stats: { commandsProcessed: 1234, keyspaceHits: 6, keyspaceMisses: 7, evictedKeys: 5, expiredKeys: 4 },
      persistence: { aofEnabled: true, aofLastWriteStatus: 'err', rdbLastSaveTime: 1_700_000_000, rdbLastBgsaveStatus: 'ok' },
      keyspace: [{ db: 'db0', keys: 10, expires: 3 }],
      cluster: { state: 'ok', slotsAssigned: 16384, slotsOk: 16384, slotsFail: 0, knownNodes: 3, size: 3 },
    });
  });
});
