import type { Logger } from '@rebal/redis-client';
import type { TokenVerifier } from '../auth';
import type { GrantSets } from '../channels';
import type { GatewayLimits } from '../config';
import type { StreamHistory, SubscriptionIndex } from '../fanout';
import type { GatewayMetrics } from '../metrics';
import type { RateLimiter } from '../protocol';
import type { SessionStore, SessionWriter } from '../sessions';
import type { ClientConnection } from './client-connection';

/** What every client connection of a gateway shares (one object: a connection holds only a reference to it). */
export interface ConnectionDeps {
  /** Verifies tokens. */
  readonly verifier: TokenVerifier;
  /** Grant lists shared by the connections whose tokens grant the same channels. */
  readonly grantSets: GrantSets;
  /** Live subscriptions of the replica. */
  readonly index: SubscriptionIndex;
  /** Whether streams are read live, their positions and history. */
  readonly history: StreamHistory;
  /** Shared sessions: loaded and taken over at authentication. */
  readonly sessions: SessionStore;
  /** Sends every other session write (on changes and at close), batched. */
  readonly sessionWriter: SessionWriter;
  /** The token bucket policy of client operations (each connection holds its bucket). */
  readonly limiter: RateLimiter;
  /** Limits and timers. */
  readonly limits: GatewayLimits;
  /** Metrics. */
  readonly metrics: GatewayMetrics;
  /** Logger. */
  readonly logger: Logger;
  /** Prefix of the ids of this process's connections (unique per process), e.g. `gw-1:3f2a9c01:`. */
  readonly connectionIdPrefix: string;
  /** Whether Redis is reachable now (subscribes fail with `unavailable` otherwise). */
  readonly isRedisReady: () => boolean;
  /** Called once when a connection has closed (its last session write is queued). */
  readonly onClosed: (connection: ClientConnection) => void;
}
