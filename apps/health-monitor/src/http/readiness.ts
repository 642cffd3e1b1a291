import type { ConnectionState } from '@rebal/redis-client';
import type { ReadinessReport } from '@rebal/service-kit';

/**
 * `/readyz` of the monitor: ready while Redis is reachable and the heartbeat consumer reads.
 * While Redis is down the monitor stays alive (`/livez`) and keeps reporting `down` on
 * `/api/v1/status` and `/metrics`, but is not ready.
 */
export function monitorReadiness(state: ConnectionState, consumerReading: () => boolean): () => ReadinessReport {
  return () => {
    const redis = state.status;
    const consumers = consumerReading() ? 'running' : 'not running';
    return { ready: redis === 'ready' && consumers === 'running', checks: { redis, consumers } };
  };
}
