import { EventEmitter } from 'node:events';
import type { Gauge, Registry } from 'prom-client';
import { silentLogger, type Logger } from '../logging';
import { gauge } from '../metrics';
import { Cluster } from 'ioredis';
import { commandTimeoutOf, describeConnection, getConnectionMetadata } from './connection-metadata';
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
  /**
   * How often each watched command connection is sent a PING, in ms (default 1000; 0 turns
   * the probe off). A PING left unanswered for the connection's command timeout
   * (`REDIS_COMMAND_TIMEOUT`, 5 s by default) makes the status degraded until one is answered:
   * a Redis that hangs keeps its sockets open and its connection `ready`, so only a deadline
   * notices it. Blocking connections are not probed (a PING would wait behind their BLOCK).
   */
  pingIntervalMs?: number;
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
  /** Why the link counts as dead although its status is `ready` (a PING past its deadline). */
  unresponsive?: string;
  /** A PING is on its way: the next one waits for it, so a hung Redis never gets a pile of them. */
  probing: boolean;
}

/** True for an error Redis itself replied with: the link is alive, whatever the reply says. */
const isReply = (error: unknown): boolean => error instanceof Error && error.name === 'ReplyError';

/** PINGs every master of a Cluster, or the one server. */
function pingEvery(conn: RedisConnection): Promise<unknown> {
  if (conn instanceof Cluster) return Promise.all(conn.nodes('master').map((node) => node.ping()));
  return conn.ping();
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
 * A connection can also be dead while `ready`: a Redis that hangs (paused, a black-holed
 * link, a failover that leaves sockets open) never closes the socket. So every command
 * connection gets a PING every `pingIntervalMs`; one unanswered for the connection's command
 * timeout counts as an outage like a closed connection (logged once, with the reason
 * `no reply to PING within <ms> ms`), and the first PING answered again ends it.
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
  private readonly pingIntervalMs: number;
  private prober?: NodeJS.Timeout;

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
    this.pingIntervalMs = options.pingIntervalMs ?? 1_000;
    if (!Number.isFinite(this.pingIntervalMs) || this.pingIntervalMs < 0) {
      throw new RangeError(`pingIntervalMs must be 0 (off) or a positive number of ms, got ${options.pingIntervalMs}`);
    }
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
      onStatus: () => {
        // A link that closed is gone with its verdict: the next `ready` is a new socket.
        if (conn.status !== 'ready') entry.unresponsive = undefined;
        this.update();
      },
      onError: (error: Error) => {
        entry.lastError = error.message;
        this.update();
      },
      probing: false,
    };
    this.watched.set(conn, entry);
    for (const event of STATUS_EVENTS) conn.on(event, entry.onStatus);
    conn.on('error', entry.onError);
    this.startProbing();
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
    clearInterval(this.prober);
    for (const [conn, entry] of this.watched) {
      for (const event of STATUS_EVENTS) conn.off(event, entry.onStatus);
      conn.off('error', entry.onError);
    }
    this.watched.clear();
  }

  private startProbing(): void {
    if (this.prober || this.pingIntervalMs === 0) return;
    this.prober = setInterval(() => {
      for (const [conn, entry] of this.watched) this.probe(conn, entry);
    }, this.pingIntervalMs);
    this.prober.unref();
  }

  /** One PING with the connection's command timeout as its deadline; not for blocking connections. */
  private probe(conn: RedisConnection, entry: Watched): void {
    if (entry.probing || conn.status !== 'ready' || getConnectionMetadata(conn)?.blocking) return;
    entry.probing = true;
    const deadlineMs = commandTimeoutOf(conn);
    const silent = `no reply to PING within ${deadlineMs} ms`;
    const deadline = setTimeout(() => {
      entry.unresponsive = silent;
      this.update();
    }, deadlineMs);
    deadline.unref();
    pingEvery(conn)
      .then(
        () => (entry.unresponsive = undefined),
        (error: unknown) => {
          if (isReply(error)) entry.unresponsive = undefined;
          else if (error instanceof Error && error.message === 'Command timed out') entry.unresponsive = silent;
          // Any other failure is the connection closing: its status events tell that.
        },
      )
      .finally(() => {
        clearTimeout(deadline);
        entry.probing = false;
        this.update();
      });
  }

  private update(): void {
    if (this.closed) return;
    const connections = [...this.watched.keys()];
    const isDown = (conn: RedisConnection): boolean => conn.status !== 'ready' || this.watched.get(conn)?.unresponsive !== undefined;
    const down = connections.filter(isDown);
    const ready = connections.length > 0 && down.length === 0;
    const next: ConnectionStatus = ready ? 'ready' : 'degraded';
    // Only a real failure is an outage: a connection lost, one whose attempts fail (also
    // before it was ever ready), or one that stopped answering. One merely starting up, e.g. a
    // duplicate just watched, makes `status` degraded but is not logged as degraded mode.
    const failed = down.some((conn) => {
      const entry = this.watched.get(conn);
      return entry?.unresponsive || entry?.lastError || !STARTING.includes(conn.status);
    });
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
          reason:
            down.map((conn) => this.watched.get(conn)?.unresponsive ?? this.watched.get(conn)?.lastError).find(Boolean) ??
            `connection ${down[0].status}`,
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
