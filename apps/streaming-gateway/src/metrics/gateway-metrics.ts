import { counter, gauge, histogram } from '@rebal/redis-client';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcome of one channel of a `subscribe`, as counted in `rebal_gateway_resumes_total`. */
export type ResumeOutcome = 'recovered' | 'trimmed' | 'replay_cap' | 'no_position';

/** The gateway's own metrics (the fan-out lag comes from the runners' `rebal_consumer_lag{group="gateway.<instance>"}`). */
export interface GatewayMetrics {
  /** `rebal_gateway_connections`: open WebSocket connections. */
  readonly connections: Gauge;
  /** `rebal_gateway_subscriptions{channel}`: subscriptions by channel family (`market_data`, `market_data:*`). */
  readonly subscriptions: Gauge<'channel'>;
  /** `rebal_gateway_messages_sent_total{kind}`: frames sent, `event` or `control`. */
  readonly messagesSent: Counter<'kind'>;
  /** `rebal_gateway_bytes_sent_total{kind}`: payload bytes of those frames. */
  readonly bytesSent: Counter<'kind'>;
  /** `rebal_gateway_disconnects_total{code}`: closed connections by close code. */
  readonly disconnects: Counter<'code'>;
  /** `rebal_gateway_resumes_total{outcome}`: subscribe outcomes per channel. */
  readonly resumes: Counter<'outcome'>;
  /** `rebal_gateway_replayed_events_total`: events sent from stream history on resumes. */
  readonly replayedEvents: Counter;
  /** `rebal_gateway_delivery_latency_seconds{stream}`: stream entry time (id) to send, per dispatched event. */
  readonly deliveryLatency: Histogram<'stream'>;
  /** `rebal_gateway_error_frames_total{code}`: error frames sent, by protocol error code. */
  readonly errorFrames: Counter<'code'>;
  /** `rebal_gateway_session_write_failures_total`: session writes that failed (the session's next write, at the latest its close, writes it whole). */
  readonly sessionWriteFailures: Counter;
  /** `rebal_gateway_session_writes_total`: session writes sent to Redis (on auth, subscribe, unsubscribe, refresh and close), failed ones included. */
  readonly sessionWrites: Counter;
  /** `rebal_gateway_fanout_start_failures_total`: failed attempts to set up a stream's fan-out group. */
  readonly fanoutStartFailures: Counter;
  /** `rebal_gateway_catch_up_failures_total`: failed stream catch-ups after a reconnect (retried). */
  readonly catchUpFailures: Counter;
}

/** Channel label with bounded cardinality: the stream, or `<stream>:*` for any single-subject channel. */
export function channelFamily(stream: string, subject: string | undefined): string {
  return subject === undefined ? stream : `${stream}:*`;
}

/** Gets or creates the gateway metrics on `registry` (default: the global registry). */
export function createGatewayMetrics(registry?: Registry): GatewayMetrics {
  return {
    connections: gauge({ name: 'rebal_gateway_connections', help: 'Open WebSocket connections.', registry }),
    subscriptions: gauge({
      name: 'rebal_gateway_subscriptions',
      help: 'Active subscriptions by channel family (a stream, or <stream>:* for its subject channels).',
      labelNames: ['channel'] as const,
      registry,
    }),
    messagesSent: counter({ name: 'rebal_gateway_messages_sent_total', help: 'Frames sent to clients, by kind (event, control).', labelNames: ['kind'] as const, registry }),
    bytesSent: counter({ name: 'rebal_gateway_bytes_sent_total', help: 'Payload bytes sent to clients, by kind (event, control).', labelNames: ['kind'] as const, registry }),
    disconnects: counter({ name: 'rebal_gateway_disconnects_total', help: 'Closed connections by WebSocket close code.', labelNames: ['code'] as const, registry }),
    resumes: counter({
      name: 'rebal_gateway_resumes_total',
      help: 'Subscribed channels by outcome: recovered, trimmed, replay_cap, no_position.',
      labelNames: ['outcome'] as const,
      registry,
    }),
    replayedEvents: counter({ name: 'rebal_gateway_replayed_events_total', help: 'Events sent from stream history on resumes.', registry }),
    deliveryLatency: histogram({
      name: 'rebal_gateway_delivery_latency_seconds',
      help: 'Time from the stream entry id (its XADD time) to the send, per dispatched event.',
      labelNames: ['stream'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registry,
    }),
    errorFrames: counter({ name: 'rebal_gateway_error_frames_total', help: 'Error frames sent, by protocol error code.', labelNames: ['code'] as const, registry }),
    sessionWriteFailures: counter({ name: 'rebal_gateway_session_write_failures_total', help: 'Session writes to Redis that failed.', registry }),
    sessionWrites: counter({
      name: 'rebal_gateway_session_writes_total',
      help: 'Session writes sent to Redis (when a session changes: auth, subscribe, unsubscribe, token refresh; and when its connection closes), failed ones included.',
      registry,
    }),
    fanoutStartFailures: counter({
      name: 'rebal_gateway_fanout_start_failures_total',
      help: 'Failed attempts to create a fan-out group and start reading a stream.',
      registry,
    }),
    catchUpFailures: counter({
      name: 'rebal_gateway_catch_up_failures_total',
      help: 'Failed reads of a stream after a reconnect, catching up with entries whose NOACK read reply was lost (retried).',
      registry,
    }),
  };
}
