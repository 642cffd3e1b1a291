/** What INFO (and CLUSTER INFO) tell about one Redis server. */
export interface RedisServerInfo {
  /** `redis_version`. */
  version: string;
  /** `redis_mode`: standalone, sentinel or cluster. */
  mode: string;
  /** `os`. */
  os: string;
  /** `run_id`. */
  runId: string;
  /** `process_id`. */
  processId: string;
  /** `tcp_port`. */
  tcpPort: string;
  /** `uptime_in_seconds`. */
  uptimeSeconds: number;
  /** The server's clock when INFO ran (`server_time_usec`, Redis 7+), in ms; null when not reported. */
  serverTimeMs: number | null;
  /** Replication: `role` (master / slave), replicas, and for a replica its master link. */
  replication: {
    role: string;
    connectedReplicas: number;
    masterHost?: string;
    masterPort?: string;
    /** `master_link_status:up` on a replica. */
    masterLinkUp?: boolean;
  };
  /** Memory in bytes; `maxBytes` 0 means no limit. */
  memory: {
    usedBytes: number;
    peakBytes: number;
    maxBytes: number;
    fragmentationRatio: number;
    /** `maxmemory_policy`, e.g. noeviction or allkeys-lru. */
    policy: string;
  };
  /** `connected_clients`, `blocked_clients`, `rejected_connections`. */
  clients: { connected: number; blocked: number; rejected: number };
  /** Counters since the server started. */
  stats: { commandsProcessed: number; keyspaceHits: number; keyspaceMisses: number; evictedKeys: number; expiredKeys: number };
  /** AOF and RDB state. */
  persistence: {
    aofEnabled: boolean;
    /** `aof_last_write_status`: ok or err. */
    aofLastWriteStatus: string;
    /** `rdb_last_save_time`, Unix seconds. */
    rdbLastSaveTime: number;
    /** `rdb_last_bgsave_status`: ok or err. */
    rdbLastBgsaveStatus: string;
  };
  /** Keys per database (`# Keyspace`). */
  keyspace: Array<{ db: string; keys: number; expires: number }>;
  /** CLUSTER INFO of this node, in Cluster mode only. */
  cluster?: { state: string; slotsAssigned: number; slotsOk: number; slotsFail: number; knownNodes: number; size: number };
}

/** One Redis server as a check saw it. */
export interface RedisNodeReport {
  /** `host:port`, or `sentinel/<master group>` behind Sentinel. */
  address: string;
  /** Whether it answered PING and INFO. */
  reachable: boolean;
  /** Why it did not (never contains a password). */
  error?: string;
  /** PING round trip in ms. */
  latencyMs?: number;
  /** INFO of the server, when reachable. */
  info?: RedisServerInfo;
}

/** The Redis part of a snapshot. */
export interface RedisReport {
  /** How the monitor connects. */
  mode: 'standalone' | 'sentinel' | 'cluster';
  /** True when every node answered (and there is at least one). */
  reachable: boolean;
  /** Why Redis (or a node) is unreachable. */
  error?: string;
  /** One entry per server: the server, or every Cluster master. */
  nodes: RedisNodeReport[];
}
