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
import { createHealthMonitor, type HealthMonitor } from '../health-monitor';
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

/** A logger that keeps every line in `logs`. */
export function captureLogger(): { logger: Logger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  return { logger, logs };
}

/**
 * Starts a health monitor on `server` with short test intervals (checks every 100 ms) and
 * `env` on top: HTTP on a free loopback port, its own registry, logs captured.
 */
export async function startTestMonitor(server: TestRedis, env: Record<string, string>): Promise<TestMonitor> {
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
  const { logger, logs } = captureLogger();
  const monitor = createHealthMonitor(config, { logger, registry: new Registry(), startupTimeoutMs: 3_000 });
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
