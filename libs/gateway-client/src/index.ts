// @rebal/gateway-client: the TypeScript client of the streaming gateway (docs/protocol.md) for
// browsers and Node. Imports nothing platform-specific, so it bundles for browsers as is.
export { backoffDelay, type BackoffOptions } from './backoff-delay';
export { defaultClientStorage, MemoryStorage, storageKeyFor, type ClientStorage } from './client-storage';
export { decideOnClose, reconnectDelay, type CloseDecision } from './close-policy';
export type { ConnectionState } from './connection-state';
export { GatewayClient, type SubscribeOptions } from './gateway-client';
export { GatewayClientError, type ClientErrorCode, type GatewayClientErrorCode, type GatewayErrorDetails } from './gateway-client-error';
export type { GatewayClientEvents } from './gateway-client-events';
export {
  DEFAULT_RECONNECT,
  resolveGatewayClientOptions,
  type GatewayClientOptions,
  type ResolvedGatewayClientOptions,
  type SessionStore,
  type TokenSource,
} from './gateway-client-options';
export * from './protocol';
export { TypedEmitter, type EventMap, type Listener } from './typed-emitter';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like';
