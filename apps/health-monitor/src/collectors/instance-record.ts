/** The latest heartbeat of one service instance, as the shared registry keeps it. */
export interface InstanceRecord {
  /** Service name from the heartbeat, e.g. `streaming-gateway`. */
  service: string;
  /** Instance id (pod name). */
  instance: string;
  /** Version the instance reports. */
  version: string;
  /** RFC 3339 time the instance started. */
  startedAt: string;
  /** Uptime the instance reported in its last heartbeat. */
  uptimeSeconds: number;
  /** What the instance says about itself. */
  status: 'healthy' | 'degraded';
  /** Whatever else the heartbeat reported. */
  details?: Record<string, unknown>;
  /** When the last heartbeat was written to the stream (its entry id's time), Unix ms. */
  lastSeenMs: number;
}
