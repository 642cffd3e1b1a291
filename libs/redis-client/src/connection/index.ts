export type { CreateRedisConnectionOptions } from './create-redis-connection-options';
export {
  ConnectionState,
  type ConnectionStateEvents,
  type ConnectionStateOptions,
  type ConnectionStatus,
} from './connection-state';
export { createRedisConnection } from './create-redis-connection';
export { duplicateConnection } from './duplicate-connection';
export { InvalidConnectionOptionError } from './invalid-connection-option-error';
export { isConnectionError } from './is-connection-error';
export { keySlot } from './key-slot';
export { DEFAULT_RECONNECT_BACKOFF, reconnectDelay, type ReconnectBackoffOptions } from './reconnect-backoff';
export type { RedisConnection } from './redis-connection';
export { RedisUnavailableError } from './redis-unavailable-error';
export { waitUntilReady } from './wait-until-ready';
