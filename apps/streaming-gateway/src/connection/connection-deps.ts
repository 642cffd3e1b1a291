import type { Logger } from '@rebal/redis-client';
import type { TokenVerifier } from '../auth';
import type { ChannelStream } from '../channels';
import type { GatewayLimits } from '../config';
import type { HistoryQuery, ReplayResult, StreamPosition, SubscriptionIndex } from '../fanout';
import type { GatewayMetrics } from '../metrics';
import type { SessionFlusher, SessionStore } from '../sessions';
import type { ClientConnection } from './client-connection';

/** A stream's current position and a channel's history: what resumes read (the `Fanout` provides them). */
export interface StreamHistory {
  /** Where `stream` stands now. */
  position(stream: ChannelStream): Promise<StreamPosition>;
  /** The history of one channel after a position. */
  replay(stream: ChannelStream, query: HistoryQuery): Promise<ReplayResult>;
}

/** What every client connection of a gateway shares. */
export interface ConnectionDeps {
  /** Verifies tokens. */
  readonly verifier: TokenVerifier;
  /** Live subscriptions of the replica. */
  readonly index: SubscriptionIndex;
  /** Stream positions and history. */
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
