export { ClientConnection } from './client-connection';
export type { ConnectionAuth, ConnectionSession } from './connection-auth';
export type { ConnectionDeps } from './connection-deps';
export { TokenTimers, type TokenTimerCallbacks } from './token-timers';
