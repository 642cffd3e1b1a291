export { ClientConnection } from './client-connection';
export type { ConnectionAuth, ConnectionSession } from './connection-auth';
export type { ConnectionDeps } from './connection-deps';
export { ConnectionSweep, type ConnectionSweepOptions, type SweptConnection } from './connection-sweep';
