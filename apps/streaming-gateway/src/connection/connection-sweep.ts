import { performance } from 'node:perf_hooks';

/** What the sweep asks of each connection. */
export interface SweptConnection {
  /** A number that spreads heartbeats: connections whose numbers differ modulo the slot count ping in different ticks. */
  readonly serial: number;
  /**
   * One visit: act on whatever fell due by `now` (monotonic ms) or `wallNow` (ms since the
   * epoch, for token expiry); `round` is the number of the heartbeat round (increasing, one per
   * interval) when this visit is the connection's heartbeat, else 0.
   */
  sweep(now: number, wallNow: number, round: number): void;
}

/** Options of {@link ConnectionSweep}. */
export interface ConnectionSweepOptions {
  /** Time between two visits of every connection, ms: how late a deadline may be acted on. */
  readonly tickMs: number;
  /** Time between two heartbeats (a WebSocket ping to every connection), ms. */
  readonly heartbeatIntervalMs: number;
}

/**
 * The one timer of a gateway's connections. Every `tickMs` it visits each connection, which
 * acts on its own deadlines (authentication, token warning and expiry, the grace of a close):
 * per connection that costs a few numbers, where timers would cost a `Timeout` and a closure
 * each. It also runs the heartbeat (ws's usual pattern): once per `heartbeatIntervalMs` (a
 * round) each connection pings its client, or is cut off if its previous ping went unanswered.
 * The heartbeats are spread over the interval (the connections of one slot per tick, by
 * `serial`), so no tick writes to every socket at once and holds up the events behind it.
 */
export class ConnectionSweep<T extends SweptConnection> implements Iterable<T> {
  private readonly options: ConnectionSweepOptions;
  private readonly connections = new Set<T>();
  /** Heartbeat slots: ticks per heartbeat interval. */
  private readonly slots: number;
  private timer?: NodeJS.Timeout;
  private ticks = 0;

  constructor(options: ConnectionSweepOptions) {
    this.options = options;
    this.slots = Math.max(1, Math.round(options.heartbeatIntervalMs / options.tickMs));
  }

  /** The tick for a gateway's limits: a quarter of its shortest timer, between 10 and 250 ms. */
  static tickFor(limits: { readonly authTimeoutMs: number; readonly heartbeatIntervalMs: number }): number {
    return Math.max(10, Math.min(250, Math.floor(Math.min(limits.authTimeoutMs, limits.heartbeatIntervalMs) / 4)));
  }

  /** Connections visited. */
  get size(): number {
    return this.connections.size;
  }

  /** Starts visiting `connection`. */
  add(connection: T): void {
    this.connections.add(connection);
  }

  /** Stops visiting `connection`. */
  delete(connection: T): void {
    this.connections.delete(connection);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.connections.values();
  }

  /** Starts the timer (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
  }

  /** Stops the timer (idempotent). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One visit of every connection (the timer calls it); the connections of this tick's slot have their heartbeat. */
  tick(now = performance.now(), wallNow = Date.now()): void {
    const tick = this.ticks++;
    const slot = tick % this.slots;
    const round = Math.floor(tick / this.slots) + 1;
    // A visit may close a connection, which deletes it: a Set iterator skips what was removed.
    for (const connection of this.connections) connection.sweep(now, wallNow, connection.serial % this.slots === slot ? round : 0);
  }
}
