// Public surface of @rebal/redis-client: the one place that talks to Redis.
export * from './config';
export * from './connection';
export * from './cache';
export * from './events';
export * from './consumer';
export * from './heartbeat';
export * from './doctor';
export * from './logging';
export * from './metrics';
export * from './replies';
export * from './retry';
export * from './scripts';
