import type { EventEmitter } from 'node:events';
import type { RedisConnection } from '../connection/redis-connection';

const subscribers = new WeakMap<RedisConnection, Set<() => void>>();

/**
 * Calls `callback` each time `redis` emits `ready` (first connect and every reconnect),
 * on the next turn of the event loop so that the connection's other `ready` listeners
 * (e.g. ConnectionState) have run first. Every cache on one connection shares a single
 * listener, so many namespaces never trip the EventEmitter listener limit. Returns the
 * function that unsubscribes.
 */
export function onConnectionReady(redis: RedisConnection, callback: () => void): () => void {
  let callbacks = subscribers.get(redis);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    subscribers.set(redis, set);
    (redis as EventEmitter).on('ready', () => {
      setImmediate(() => {
        for (const subscriber of [...set]) subscriber();
      });
    });
  }
  callbacks.add(callback);
  const registered = callbacks;
  return () => {
    registered.delete(callback);
  };
}
