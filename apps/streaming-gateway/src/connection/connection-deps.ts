import type { Logger } from '@rebal/redis-client';
import type { TokenVerifier } from '../auth';
import type { GatewayLimits } from '../config';
import type { StreamHistory, SubscriptionIndex } from '../fanout';
import type { GatewayMetrics } from '../metrics';
import type { SessionFlusher, SessionStore } from '../sessions';
import type { ClientConnection } from './client-connection';

/** What every client connection of a gateway shares. */
export interface ConnectionDeps {
  /** Verifies tokens. */
  readonly verifier: TokenVerifier;
  /** Live subscriptions of the replica. */
  readonly index: SubscriptionIndex;
  /** Whether streams are read live, their positions and history. */
  readonly history: StreamHistory;
  /** Shared sessions. */
  readonly sessions: SessionStore;
  /** Writes every connection's session, on one timer. */
  readonly sessionFlusher: SessionFlusher;
  /** Limits and timers. */
  readonly limits: GatewayLimits;
  /** Metrics. */
  readonly metrics: GatewayMetrics;
  /** Logger. */
  readonly logger: Logger;
  /** Whether Redis is reachable now (subscribes fail with `unavailable` otherwise). */
  readonly isRedisReady: () => boolean;
  /** Called once when a connection has closed, with its last session write still under way. */
  readonly onClosed: (connection: ClientConnection, sessionWrite: Promise<void>) => void;
}
