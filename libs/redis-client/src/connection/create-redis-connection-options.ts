import type { Logger } from '../logging';
import type { ReconnectBackoffOptions } from './reconnect-backoff';

/** Options of `createRedisConnection` and `duplicateConnection`. */
export interface CreateRedisConnectionOptions {
  /**
   * Role of the connection (e.g. `main`, `cache`, `consumer`), shown as `rebal:<name>` in
   * `CLIENT LIST` and in logs; characters outside `[A-Za-z0-9:_.-]` become `_`
   * (default `main`; `duplicateConnection` defaults to the original's name plus `:blocking`).
   */
  name?: string;
  /**
   * `true` for a connection that runs blocking reads (XREADGROUP BLOCK) or BullMQ: commands
   * wait through outages and complete after Redis returns (`maxRetriesPerRequest: null`).
   * `false` for a command connection that fails fast while Redis is unreachable
   * (default `false`; `duplicateConnection` defaults to `true`).
   */
  blocking?: boolean;
  /** Logger for connection events, at debug level (default `silentLogger()`). */
  logger?: Logger;
  /** Do not connect until the first command or `connect()`/`waitUntilReady` (default `false`). */
  lazyConnect?: boolean;
  /** Reconnect backoff (default 100 ms doubling to a 5 s cap, with jitter). */
  retry?: ReconnectBackoffOptions;
}
