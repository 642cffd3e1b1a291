/**
 * Messages between the gateway benchmark and the processes it starts (client load generators,
 * publishers, the peer and limit servers), sent over Node's IPC channel (`process.send`).
 */

/** A latency histogram as sent between processes (see `LatencyHistogram.toJSON`). */
export interface HistogramData {
  /** Count per bucket, in bucket order. */
  readonly counts: number[];
  /** Values beyond the last bucket. */
  readonly overflow: number;
}

/** Bench → client load generator. */
export type ClientCommand =
  /** Open `count` more connections (subscribed to market data), `concurrency` at a time. */
  | { readonly cmd: 'connect'; readonly count: number; readonly concurrency: number }
  /** Close connections until `keep` remain. */
  | { readonly cmd: 'close'; readonly keep: number }
  /**
   * Count the deliveries received between `startUs` and `endUs` (monotonic clock, µs), then
   * report `drainMs` after `endUs`.
   */
  | { readonly cmd: 'window'; readonly startUs: number; readonly endUs: number; readonly drainMs: number }
  /** Close everything and exit. */
  | { readonly cmd: 'exit' };

/** Client load generator → bench. */
export type ClientReport =
  /** Connections are open and subscribed. */
  | { readonly type: 'ready' }
  /** Outcome of `connect`: open connections now, failures of this command and the first error. */
  | { readonly type: 'connected'; readonly open: number; readonly failed: number; readonly firstError?: string; readonly seconds: number }
  /** Outcome of `close`. */
  | { readonly type: 'closed'; readonly open: number }
  /** Outcome of `window`. */
  | {
      readonly type: 'window';
      /** Deliveries received inside the window. */
      readonly deliveries: number;
      /** Their latency (publish to receipt), µs. */
      readonly histogram: HistogramData;
      /** Deliveries received after the window, during the drain (published late, or delayed). */
      readonly afterWindow: number;
      /** Connections the server closed since the last report, by close code or reason. */
      readonly lost: Record<string, number>;
      /** Size in bytes of one delivered frame as it crossed the socket. */
      readonly frameBytes: number;
    };

/** Bench → publisher. */
export type PublisherCommand =
  /** Publish `rate` messages per second until `stop` (or `maxSeconds`). */
  | { readonly cmd: 'start'; readonly rate: number; readonly maxSeconds: number }
  | { readonly cmd: 'stop' }
  | { readonly cmd: 'exit' };

/** Publisher → bench. */
export type PublisherReport =
  | { readonly type: 'ready' }
  | { readonly type: 'started' }
  /** Messages published since `start`, and the longest gap behind schedule seen, ms. */
  | { readonly type: 'stopped'; readonly published: number; readonly maxBehindMs: number; readonly seconds: number };

/** Bench → a server process (every side): run a full garbage collection (the server runs with --expose-gc). */
export type ServerCommand = { readonly cmd: 'gc' };

/**
 * A server process → bench: the peer and the limit say where they listen (the limit also names
 * the port its publisher feeds); every server answers `gc` with `collected`.
 */
export type ServerReport = { readonly type: 'listening'; readonly port: number; readonly ingestPort?: number } | { readonly type: 'collected' };

/** Any report, for the generic waiting helper. */
export type AnyReport = ClientReport | PublisherReport | ServerReport;
