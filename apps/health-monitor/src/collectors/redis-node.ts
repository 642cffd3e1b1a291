import type { RedisConnection } from '@rebal/redis-client';

/** A Cluster connection (the library's `RedisConnection` minus single-server clients). */
export type ClusterConnection = Extract<RedisConnection, { nodes: unknown }>;

/** One server connection: a single server, or one node of a Cluster (`cluster.nodes()`). */
export type RedisNode = ReturnType<ClusterConnection['nodes']>[number];

/** True when `conn` is a Cluster connection. Apps do not import ioredis, so this asks the client itself. */
export function isClusterConnection(conn: RedisConnection): conn is ClusterConnection {
  return conn.isCluster;
}

/** `host:port` of a node as the client knows it. */
export function nodeAddress(node: RedisNode): string {
  const host = node.options.host ?? 'localhost';
  return `${host.includes(':') ? `[${host}]` : host}:${node.options.port ?? 6379}`;
}
