import type { RedisConnection } from '@rebal/redis-client';
import { parseServerInfo } from './parse-server-info';
import { replyErrorMessage as errorMessage } from '@rebal/redis-client';
import { isClusterConnection, nodeAddress, type RedisNode } from './redis-node';
import type { RedisNodeReport, RedisReport } from './redis-report';
import { withTimeout } from './with-timeout';

/** Options of {@link collectRedis}. */
export interface CollectRedisOptions {
  /** Connection mode, as configured. */
  mode: RedisReport['mode'];
  /** Label of a single server or Sentinel master (`host:port` or `sentinel/<name>`); Cluster nodes label themselves. */
  address: string;
  /** Deadline of each node's commands in ms. */
  timeoutMs: number;
}

async function timedPing(node: RedisNode, timeoutMs: number, address: string): Promise<number> {
  const started = process.hrtime.bigint();
  await withTimeout(node.ping(), timeoutMs, `PING ${address}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** PING (timed), INFO and, in Cluster mode, CLUSTER INFO of one node, in one round trip. Never throws. */
export async function inspectNode(node: RedisNode, address: string, timeoutMs: number, cluster: boolean): Promise<RedisNodeReport> {
  try {
    const [latencyMs, infoText, clusterText] = await Promise.all([
      timedPing(node, timeoutMs, address),
      withTimeout(node.info(), timeoutMs, `INFO ${address}`),
      cluster ? withTimeout(node.call('CLUSTER', 'INFO') as Promise<string>, timeoutMs, `CLUSTER INFO ${address}`) : undefined,
    ]);
    return { address, reachable: true, latencyMs, info: parseServerInfo(infoText, clusterText) };
  } catch (error) {
    return { address, reachable: false, error: errorMessage(error) };
  }
}

/**
 * Reads the Redis facts of one check: for a single server (or the Sentinel master) its PING
 * round trip and INFO; for a Cluster the same for every master node the client knows, plus
 * each node's CLUSTER INFO. Never throws: an unreachable node is reported with its error.
 */
export async function collectRedis(conn: RedisConnection, options: CollectRedisOptions): Promise<RedisReport> {
  if (!isClusterConnection(conn)) {
    const node = await inspectNode(conn, options.address, options.timeoutMs, false);
    return { mode: options.mode, reachable: node.reachable, ...(node.error && { error: node.error }), nodes: [node] };
  }
  let masters = conn.nodes('master');
  if (masters.length === 0) {
    // A Cluster client learns its nodes on its first successful command; ask once.
    try {
      await withTimeout(conn.ping(), options.timeoutMs, `PING ${options.address}`);
      masters = conn.nodes('master');
    } catch (error) {
      return { mode: 'cluster', reachable: false, error: errorMessage(error), nodes: [] };
    }
  }
  const nodes = await Promise.all(masters.map((node) => inspectNode(node, nodeAddress(node), options.timeoutMs, true)));
  nodes.sort((a, b) => a.address.localeCompare(b.address));
  const failed = nodes.filter((node) => !node.reachable);
  const report: RedisReport = { mode: 'cluster', reachable: nodes.length > 0 && failed.length === 0, nodes };
  if (nodes.length === 0) report.error = 'the cluster client knows no master node';
  else if (failed.length > 0) report.error = failed.map((node) => `${node.address}: ${node.error}`).join('; ');
  return report;
}
