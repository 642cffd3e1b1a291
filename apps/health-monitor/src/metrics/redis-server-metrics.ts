import type { RedisNodeReport, RedisServerInfo } from '../collectors';
import type { HealthSnapshot } from '../status';
import type { Sample, SnapshotMetric } from './snapshot-metric';

type Info = RedisServerInfo;

/** A per-node gauge or counter read from INFO; nodes that did not answer have no sample. */
function fromInfo(name: string, help: string, value: (info: Info) => number, type: 'gauge' | 'counter' = 'gauge'): SnapshotMetric {
  return {
    name,
    help,
    type,
    labelNames: ['node'],
    *samples(snapshot: HealthSnapshot): Iterable<Sample> {
      for (const node of snapshot.redis.nodes) if (node.info) yield [{ node: node.address }, value(node.info)];
    },
  };
}

/** A per-node gauge from CLUSTER INFO (Cluster mode only). */
function fromClusterInfo(name: string, help: string, value: (cluster: NonNullable<Info['cluster']>) => number): SnapshotMetric {
  return {
    name,
    help,
    type: 'gauge',
    labelNames: ['node'],
    *samples(snapshot: HealthSnapshot): Iterable<Sample> {
      for (const node of snapshot.redis.nodes) if (node.info?.cluster) yield [{ node: node.address }, value(node.info.cluster)];
    },
  };
}

function upSamples(snapshot: HealthSnapshot): Sample[] {
  const nodes: RedisNodeReport[] = snapshot.redis.nodes;
  // A Cluster whose nodes are unknown (never connected) still says it is down.
  if (nodes.length === 0) return [[{ node: snapshot.redis.mode }, 0]];
  return nodes.map((node) => [{ node: node.address }, node.reachable ? 1 : 0]);
}

const ok = (status: string): number => (status === 'ok' ? 1 : 0);

/**
 * Redis server metrics, named as oliver006/redis_exporter names them (so its dashboards and
 * alerts work), each with a `node` label (`host:port`) since one monitor reports every node of
 * a Cluster. Values come from INFO and CLUSTER INFO of the last check.
 */
export const REDIS_SERVER_METRICS: readonly SnapshotMetric[] = [
  { name: 'redis_up', help: 'Whether the Redis node answered the last check (1) or not (0)', type: 'gauge', labelNames: ['node'], samples: upSamples },
  {
    name: 'rebal_redis_ping_seconds',
    help: 'Round trip of a PING to the node at the last check, in seconds',
    type: 'gauge',
    labelNames: ['node'],
    *samples(snapshot) {
      for (const node of snapshot.redis.nodes) if (node.latencyMs !== undefined) yield [{ node: node.address }, node.latencyMs / 1000];
    },
  },
  {
    name: 'redis_instance_info',
    help: 'Information about the Redis instance (always 1)',
    type: 'gauge',
    labelNames: ['node', 'role', 'redis_version', 'redis_mode', 'os', 'maxmemory_policy', 'tcp_port', 'run_id', 'process_id'],
    *samples(snapshot) {
      for (const { address, info } of snapshot.redis.nodes) {
        if (!info) continue;
        yield [
          {
            node: address, role: info.replication.role, redis_version: info.version, redis_mode: info.mode, os: info.os,
            maxmemory_policy: info.memory.policy, tcp_port: info.tcpPort, run_id: info.runId, process_id: info.processId,
          },
          1,
        ];
      }
    },
  },
  fromInfo('redis_uptime_in_seconds', 'Seconds since the Redis server started', (i) => i.uptimeSeconds),
  fromInfo('redis_memory_used_bytes', 'Memory used by Redis (used_memory), in bytes', (i) => i.memory.usedBytes),
  fromInfo('redis_memory_used_peak_bytes', 'Peak memory used by Redis (used_memory_peak), in bytes', (i) => i.memory.peakBytes),
  fromInfo('redis_memory_max_bytes', 'maxmemory in bytes (0: no limit)', (i) => i.memory.maxBytes),
  fromInfo('redis_mem_fragmentation_ratio', 'Resident memory over used memory (mem_fragmentation_ratio)', (i) => i.memory.fragmentationRatio),
  fromInfo('redis_connected_clients', 'Client connections', (i) => i.clients.connected),
  fromInfo('redis_blocked_clients', 'Clients waiting in a blocking command (XREADGROUP BLOCK, BLPOP...)', (i) => i.clients.blocked),
  fromInfo('redis_rejected_connections_total', 'Connections refused because of maxclients', (i) => i.clients.rejected, 'counter'),
  fromInfo('redis_commands_processed_total', 'Commands processed since the server started', (i) => i.stats.commandsProcessed, 'counter'),
  fromInfo('redis_keyspace_hits_total', 'Successful key lookups', (i) => i.stats.keyspaceHits, 'counter'),
  fromInfo('redis_keyspace_misses_total', 'Failed key lookups', (i) => i.stats.keyspaceMisses, 'counter'),
  fromInfo('redis_evicted_keys_total', 'Keys evicted because of maxmemory', (i) => i.stats.evictedKeys, 'counter'),
  fromInfo('redis_expired_keys_total', 'Keys removed because their TTL ran out', (i) => i.stats.expiredKeys, 'counter'),
  fromInfo('redis_aof_enabled', 'Whether AOF persistence is on (appendonly yes)', (i) => (i.persistence.aofEnabled ? 1 : 0)),
  fromInfo('redis_aof_last_write_status', 'Whether the last AOF write succeeded (1) or failed (0)', (i) => ok(i.persistence.aofLastWriteStatus)),
  fromInfo('redis_rdb_last_save_timestamp_seconds', 'Unix time of the last successful RDB save', (i) => i.persistence.rdbLastSaveTime),
  fromInfo('redis_rdb_last_bgsave_status', 'Whether the last RDB save succeeded (1) or failed (0)', (i) => ok(i.persistence.rdbLastBgsaveStatus)),
  fromInfo('redis_connected_slaves', 'Replicas connected to this node', (i) => i.replication.connectedReplicas),
  {
    name: 'redis_master_link_up',
    help: 'On a replica: whether its link to the master is up',
    type: 'gauge',
    labelNames: ['node', 'master_host', 'master_port'],
    *samples(snapshot) {
      for (const { address, info } of snapshot.redis.nodes) {
        const r = info?.replication;
        if (r?.masterLinkUp !== undefined) yield [{ node: address, master_host: r.masterHost ?? '', master_port: r.masterPort ?? '' }, r.masterLinkUp ? 1 : 0];
      }
    },
  },
  {
    name: 'redis_db_keys',
    help: 'Keys per database',
    type: 'gauge',
    labelNames: ['node', 'db'],
    *samples(snapshot) {
      for (const { address, info } of snapshot.redis.nodes) for (const db of info?.keyspace ?? []) yield [{ node: address, db: db.db }, db.keys];
    },
  },
  {
    name: 'redis_db_keys_expiring',
    help: 'Keys with a TTL per database',
    type: 'gauge',
    labelNames: ['node', 'db'],
    *samples(snapshot) {
      for (const { address, info } of snapshot.redis.nodes) for (const db of info?.keyspace ?? []) yield [{ node: address, db: db.db }, db.expires];
    },
  },
  fromClusterInfo('redis_cluster_state', 'Cluster state seen by the node: 1 ok, 0 fail', (c) => ok(c.state)),
  fromClusterInfo('redis_cluster_slots_assigned', 'Hash slots assigned to a node', (c) => c.slotsAssigned),
  fromClusterInfo('redis_cluster_slots_ok', 'Hash slots whose node is reachable', (c) => c.slotsOk),
  fromClusterInfo('redis_cluster_slots_fail', 'Hash slots whose node failed', (c) => c.slotsFail),
  fromClusterInfo('redis_cluster_known_nodes', 'Nodes the cluster knows', (c) => c.knownNodes),
  fromClusterInfo('redis_cluster_size', 'Masters serving at least one slot', (c) => c.size),
];
