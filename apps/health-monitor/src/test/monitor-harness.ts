import { randomUUID } from 'node:crypto';
import {
  createRedisConnection,
  decodeEntry,
  HeartbeatPublisher,
  parseRedisConfig,
  StreamPublisher,
  waitUntilReady,
  type RedisConnection,
  type SystemStatusData,
} from '@rebal/redis-client';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { parseHealthMonitorConfig } from '../config';
import { createHealthMonitor, type CreateHealthMonitorOptions, type HealthMonitor } from '../health-monitor';
import { parsePrometheusText, type PromFamily } from './prometheus-text';

/** The part of a test Redis the harness needs (a `RedisTestServer`). */
export interface TestRedis {
  readonly env: Record<string, string>;
}

/** One captured log line. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A monitor started for a test, with helpers to look at it from the outside. */
export interface TestMonitor {
  monitor: HealthMonitor;
  /** Every log line it wrote. */
  logs: LogLine[];
  /** `GET path` on its HTTP server. */
  get(path: string): Promise<Response>;
  /** `GET /metrics`, parsed strictly (throws on any format error). */
  metrics(): Promise<PromFamily[]>;
  close(): Promise<void>;
}

/** A unique stream prefix, so tests sharing a server never see each other's streams. */
export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}:`;
}

/** A logger that keeps every line in `logs` and hands each to `onLog` as it is written (synchronously). */
export function captureLogger(onLog?: (line: LogLine) => void): { logger: Logger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, {
    write: (text: string) => {
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      onLog?.(line);
    },
  });
  return { logger, logs };
}

/** What a test may set on the monitor besides its environment. */
export interface TestMonitorOptions {
  /** The monitor's wall clock (default `Date.now`). */
  now?: CreateHealthMonitorOptions['now'];
  /** Called with every log line as the monitor writes it, before its next statement runs. */
  onLog?: (line: LogLine) => void;
}

/**
 * Starts a health monitor on `server` with short test intervals (checks every 100 ms) and
 * `env` on top: HTTP on a free loopback port, its own registry, logs captured, and `options`.
 */
export async function startTestMonitor(server: TestRedis, env: Record<string, string>, options: TestMonitorOptions = {}): Promise<TestMonitor> {
  const config = parseHealthMonitorConfig({
    ...server.env,
    PORT: '0',
    HOST: '127.0.0.1',
    INSTANCE_ID: `monitor-${randomUUID().slice(0, 6)}`,
    HEALTH_CHECK_INTERVAL: '100ms',
    HEALTH_CHECK_TIMEOUT: '1s',
    HEARTBEAT_INTERVAL: '200ms',
    HEALTH_EXPECTED_SERVICES: 'none',
    ...env,
  });
  const { logger, logs } = captureLogger(options.onLog);
  const monitor = createHealthMonitor(config, { logger, registry: new Registry(), startupTimeoutMs: 3_000, ...(options.now && { now: options.now }) });
  try {
    await monitor.start();
  } catch (error) {
    await monitor.close().catch(() => undefined);
    throw error;
  }
  // No keep-alive: a pooled client socket would hold jest open after the server closed.
  const get = (path: string) => fetch(`http://127.0.0.1:${monitor.port}${path}`, { headers: { connection: 'close' } });
  return {
    monitor,
    logs,
    get,
    async metrics() {
      const response = await get('/metrics');
      if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
      return parsePrometheusText(await response.text());
    },
    close: () => monitor.close(),
  };
}

/** A command connection to `server` for test setup and inspection. */
export async function connect(server: TestRedis): Promise<RedisConnection> {
  const conn = createRedisConnection(parseRedisConfig(server.env).main, { name: 'test' });
  await waitUntilReady(conn);
  return conn;
}

/** A fake service instance that sends heartbeats; `kill()` stops them without any goodbye. */
export interface FakeInstance {
  kill(): Promise<void>;
}

/** Starts heartbeats of `service`/`instance` every `intervalMs` on `conn`, under `prefix`. */
export function fakeInstance(conn: RedisConnection, prefix: string, service: string, instance: string, intervalMs: number): FakeInstance {
  const heartbeat = new HeartbeatPublisher({
    publisher: new StreamPublisher({ redis: conn, prefix, registry: new Registry() }),
    service,
    instance,
    version: '9.9.9',
    intervalMs,
    details: () => ({ fake: true }),
    registry: new Registry(),
  });
  heartbeat.start();
  return { kill: () => heartbeat.stop() };
}

/** The `system_status` events on `<prefix>risk_events`, oldest first. */
export async function systemStatusEvents(conn: RedisConnection, prefix: string): Promise<SystemStatusData[]> {
  const entries = await conn.xrange(`${prefix}risk_events`, '-', '+');
  return entries.flatMap(([, fields]) => {
    const decoded = decodeEntry<SystemStatusData>(fields);
    return decoded.ok && decoded.event.type === 'system_status' ? [decoded.event.data] : [];
  });
}

/** Group names of `stream` (none when the stream does not exist). */
export async function groupNames(conn: RedisConnection, stream: string): Promise<string[]> {
  try {
    const groups = (await conn.xinfo('GROUPS', stream)) as unknown[][];
    return groups.map((group) => String(group[group.indexOf('name') + 1])).sort();
  } catch {
    return [];
  }
}

/** A reader that stays blocked in XREADGROUP on a group, as a live gateway's fan-out reader does. */
export interface BlockingReader {
  /** Ids of the entries delivered to it, in order. */
  readonly received: string[];
  /** The error that ended its reading (e.g. NOGROUP when its group was destroyed under it), if any. */
  readonly failure: Error | undefined;
  /** Stops reading and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Reads `streams` in `group` as `consumer` with NOACK, blocking for up to 500 ms per call and
 * calling again at once, on a connection of its own: a live fan-out reader. On a quiet stream
 * Redis 7.0 never refreshes such a consumer's idle time (nor creates the consumer at all).
 */
export async function blockingReader(server: TestRedis, streams: readonly string[], group: string, consumer: string): Promise<BlockingReader> {
  const conn = await connect(server);
  const received: string[] = [];
  let failure: Error | undefined;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const reply = (await conn.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', '100', 'BLOCK', '500', 'NOACK', 'STREAMS', ...streams, ...streams.map(() => '>'))) as
          | Array<[string, Array<[string, string[]]>]>
          | null;
        for (const [, entries] of reply ?? []) for (const [id] of entries) received.push(id);
      } catch (error) {
        if (!stopped) failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
    }
  })();
  return {
    received,
    get failure() {
      return failure;
    },
    async stop() {
      stopped = true;
      conn.disconnect();
      await loop;
    },
  };
}

/** Adds one entry to each of `streams` and resolves with their ids. */
export async function publishOne(conn: RedisConnection, streams: readonly string[], note: string): Promise<string[]> {
  return Promise.all(streams.map(async (stream) => String(await conn.xadd(stream, '*', 'note', note))));
}
