import { EventEmitter } from 'node:events';
import type { Gauge, Registry } from 'prom-client';
import { silentLogger, type Logger } from '../logging';
import { gauge } from '../metrics';
import { describeConnection } from './connection-metadata';
import type { RedisConnection } from './redis-connection';

/** `ready` when every watched connection is ready; `degraded` otherwise. */
export type ConnectionStatus = 'ready' | 'degraded';

/** Options of {@link ConnectionState}. */
export interface ConnectionStateOptions {
  /** Where transitions are logged (default `silentLogger()`). */
  logger?: Logger;
  /** Label of the `rebal_redis_connection_up` gauge and of the log lines, e.g. the service (default `redis`). */
  name?: string;
  /** prom-client registry for the gauge (default: the global registry). */
  registry?: Registry;
}

/** Events of {@link ConnectionState}. */
export interface ConnectionStateEvents {
  /** The aggregate status changed to the given one. */
  change: [status: ConnectionStatus];
}

/** ioredis events after which a connection's status may have changed. */
const STATUS_EVENTS = ['connect', 'ready', 'close', 'reconnecting', 'end', 'wait'] as const;

/** Statuses of a connection that has not failed (yet). */
const STARTING: readonly string[] = ['wait', 'connecting', 'connect', 'ready'];

interface Watched {
  readonly onStatus: () => void;
  readonly onError: (error: Error) => void;
  lastError?: string;
}

/**
 * Tells whether Redis is usable, for `/readyz` and degraded mode. Watches one or more
 * connections; `status` is `ready` only while all of them are ready, and starts `degraded`.
 * On every transition it emits `change`, sets the gauge `rebal_redis_connection_up{name}`
 * (1/0), and logs exactly once, however many reconnect attempts follow:
 * `warn` "Redis unreachable, entering degraded mode" (operators grep for `degraded mode`)
 * and `info` "Redis connection restored" (or "Redis connection ready" the first time).
 * A connection that fails before it was ever ready is logged as degraded mode too; one that
 * is merely still connecting (just created or watched) makes `status` degraded silently.
 * Close the state before closing the connections on shutdown, so that is not an outage.
 * It never closes the connections it watches.
 */
export class ConnectionState extends EventEmitter<ConnectionStateEvents> {
  private readonly logger: Logger;
  private readonly name: string;
  private readonly up: Gauge<'name'>;
  private readonly watched = new Map<RedisConnection, Watched>();
  private current: ConnectionStatus = 'degraded';
  private announced: 'nothing' | ConnectionStatus = 'nothing';
  private closed = false;

  /** @param options see {@link ConnectionStateOptions} */
  constructor(options: ConnectionStateOptions = {}) {
    super();
    this.logger = options.logger ?? silentLogger();
    this.name = options.name ?? 'redis';
    this.up = gauge({
      name: 'rebal_redis_connection_up',
      help: '1 while every watched Redis connection is ready, 0 in degraded mode',
      labelNames: ['name'] as const,
      registry: options.registry,
    });
    this.up.set({ name: this.name }, 0);
  }

  /** The aggregate status: `ready` only while every watched connection is ready. */
  get status(): ConnectionStatus {
    return this.current;
  }

  /** True while every watched connection is ready (and at least one is watched). */
  isReady(): boolean {
    return this.current === 'ready';
  }

  /** Starts following `conn` (again a no-op when already watched). May emit `change` at once. */
  watch(conn: RedisConnection): this {
    if (this.closed || this.watched.has(conn)) return this;
    const entry: Watched = {
      onStatus: () => this.update(),
      onError: (error: Error) => {
        entry.lastError = error.message;
        this.update();
      },
    };
    this.watched.set(conn, entry);
    for (const event of STATUS_EVENTS) conn.on(event, entry.onStatus);
    conn.on('error', entry.onError);
    this.update();
    return this;
  }

  /** Stops following `conn`; the status is recomputed from the others. */
  unwatch(conn: RedisConnection): this {
    const entry = this.watched.get(conn);
    if (!entry) return this;
    for (const event of STATUS_EVENTS) conn.off(event, entry.onStatus);
    conn.off('error', entry.onError);
    this.watched.delete(conn);
    this.update();
    return this;
  }

  /** Stops following every connection (it does not close them). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    // Closed first: shutting down is not an outage, so nothing is logged or emitted.
    this.closed = true;
    for (const [conn, entry] of this.watched) {
      for (const event of STATUS_EVENTS) conn.off(event, entry.onStatus);
      conn.off('error', entry.onError);
    }
    this.watched.clear();
  }

  private update(): void {
    if (this.closed) return;
    const connections = [...this.watched.keys()];
    const ready = connections.length > 0 && connections.every((conn) => conn.status === 'ready');
    const next: ConnectionStatus = ready ? 'ready' : 'degraded';
    // Only a real failure is an outage: a connection lost, or one whose attempts fail
    // (also before it was ever ready). One merely starting up, e.g. a duplicate just
    // watched, makes `status` degraded but is not logged as degraded mode.
    const down = connections.filter((conn) => conn.status !== 'ready');
    const failed = down.some((conn) => this.watched.get(conn)?.lastError || !STARTING.includes(conn.status));
    if (next === 'ready' && this.announced !== 'ready') {
      this.logger.info({ connection: this.name, redis: connections.map(describeConnection) },
        this.announced === 'degraded' ? 'Redis connection restored' : 'Redis connection ready');
      this.announced = 'ready';
    } else if (next === 'degraded' && this.announced !== 'degraded' && failed) {
      this.logger.warn(
        {
          connection: this.name,
          redis: down.map(describeConnection),
          status: down.map((conn) => conn.status),
          reason: down.map((conn) => this.watched.get(conn)?.lastError).find(Boolean) ?? `connection ${down[0].status}`,
        },
        'Redis unreachable, entering degraded mode: reads fall back, writes fail fast until it returns',
      );
      this.announced = 'degraded';
    }
    if (next === 'ready') for (const entry of this.watched.values()) entry.lastError = undefined;
    if (next !== this.current) {
      this.current = next;
      this.up.set({ name: this.name }, next === 'ready' ? 1 : 0);
      this.emit('change', next);
    }
  }
}
