/**
 * The platform's streams (shared/DESIGN.md): the only contract between services. Names keep
 * these defaults; a deployment may put a prefix in front of all of them (see `streamKey`).
 */
export const STREAMS = {
  market_data: { maxLen: 50_000, types: ['price_update'] },
  portfolio_updates: { maxLen: 10_000, types: ['portfolio_snapshot', 'rebalance_executed'] },
  risk_events: { maxLen: 10_000, types: ['risk_metric', 'system_status', 'feed_status'] },
  alerts: {
    maxLen: 5_000,
    types: ['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.snoozed', 'alert.resolved', 'alert.escalated'],
  },
  service_heartbeats: { maxLen: 1_000, types: ['heartbeat'] },
} as const;

/** A stream name from the table above. */
export type StreamName = keyof typeof STREAMS;

/** Every stream name, in the table's order. */
export const STREAM_NAMES = Object.keys(STREAMS) as StreamName[];

/** Streams the gateway pushes to web clients. */
export const CLIENT_FACING_STREAMS: readonly StreamName[] = ['market_data', 'portfolio_updates', 'risk_events', 'alerts'];

/** MAXLEN ~ of every dead-letter stream. */
export const DLQ_MAX_LEN = 10_000;

/** The Redis key of a stream, with the deployment's optional prefix (e.g. `staging:`). */
export function streamKey(name: string, prefix = ''): string {
  return `${prefix}${name}`;
}

/** The dead-letter stream of a stream key: `<stream>:dlq`. */
export function dlqKey(stream: string): string {
  return `${stream}:dlq`;
}
