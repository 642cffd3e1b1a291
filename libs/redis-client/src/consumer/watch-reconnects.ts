import type { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from '../connection/redis-connection';

/**
 * Calls `onReconnect` when a connection that was lost is ready again; the first connect is
 * not a reconnect. A standalone connection closes and becomes ready again itself. A Cluster
 * mostly stays `ready` while its node connections come and go (a restarted node's
 * connection ends and a new one replaces it), so any node closing or leaving the pool marks
 * the connection lost and the next node (or Cluster) `ready` is the reconnect. Returns a
 * function that removes every listener.
 */
export function watchReconnects(connection: RedisConnection, onReconnect: () => void): () => void {
  let lost = false;
  const onLost = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    onReconnect();
  };
  const watched = new Set<EventEmitter>();
  const watch = (target: Redis | Cluster) => {
    if (watched.has(target)) return;
    watched.add(target);
    target.on('close', onLost);
    target.on('ready', onReady);
  };
  const unwatch = (target: EventEmitter) => {
    target.off('close', onLost);
    target.off('ready', onReady);
    watched.delete(target);
  };
  const onNodeRemoved = (node: Redis) => {
    unwatch(node);
    lost = true;
  };

  watch(connection);
  const cluster = connection.isCluster ? (connection as Cluster) : undefined;
  if (cluster) {
    for (const node of cluster.nodes('all')) watch(node);
    cluster.on('+node', watch);
    cluster.on('-node', onNodeRemoved);
  }
  return () => {
    cluster?.off('+node', watch);
    cluster?.off('-node', onNodeRemoved);
    for (const target of [...watched]) unwatch(target);
  };
}
