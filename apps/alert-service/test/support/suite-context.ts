import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { waitFor, type RedisTestServer } from '@rebal/redis-testing';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { AlertJson } from '../../src/api';
import { createAlertService, type AlertService } from '../../src/alert-service';
import { parseAlertServiceConfig } from '../../src/config';
import { ApiClient, TEST_JWT_SECRET } from './api-client';

let sequence = 0;

/** A stream prefix no other test (or earlier run against the same server) uses, e.g. `t-123-lx2a-1:`. */
export function uniquePrefix(): string {
  sequence += 1;
  return `t-${process.pid}-${Date.now().toString(36)}-${sequence}:`;
}

/** The environment of a service on `server` with its own stream prefix: authentication on, quick timers. */
export function serviceEnv(server: RedisTestServer, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...server.env,
    REDIS_STREAM_PREFIX: prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ALERT_SEED: 'false',
    RULES_REFRESH_INTERVAL: '200ms',
    ALERT_TICK_INTERVAL: '200ms',
    HEARTBEAT_INTERVAL: '1s',
    LOG_LEVEL: 'info',
    // Generous budgets: the suite raises many alerts within a minute and counts their deliveries.
    ALERT_RATE_LIMITS: JSON.stringify({ S1: { perMinute: 6000, burst: 1000 }, S2: { perMinute: 6000, burst: 1000 }, S3: { perMinute: 6000, burst: 1000 } }),
    ...extra,
  };
}

/** An alert service running in this process, on real HTTP, with its logs and registry at hand. */
export interface InProcessService {
  readonly service: AlertService;
  readonly url: string;
  readonly registry: Registry;
  /** Log messages, in order. */
  readonly messages: string[];
  close(): Promise<void>;
}

/** Starts `createAlertService` on 127.0.0.1, port 0, with `env` (see {@link serviceEnv}); resolves once it is up. */
export async function startInProcess(env: Record<string, string>): Promise<InProcessService> {
  const messages: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => messages.push((JSON.parse(line) as { msg: string }).msg) });
  const registry = new Registry();
  const service = createAlertService(parseAlertServiceConfig({ ...env, HOST: '127.0.0.1', PORT: '0' }), { logger, registry });
  await service.start();
  return { service, url: `http://127.0.0.1:${service.port()}`, registry, messages, close: () => service.close() };
}

/** Command connections for test setup and inspection, closed together. */
export class AdminConnections {
  private readonly open: RedisConnection[] = [];

  /** A new command connection to `server`, as a service would have. */
  connect(server: RedisTestServer): RedisConnection {
    const connection = createRedisConnection(parseRedisConfig(server.env).main, { name: 'test-admin' });
    this.open.push(connection);
    return connection;
  }

  /** Quits every connection (disconnects those that cannot). */
  async closeAll(): Promise<void> {
    const open = this.open.splice(0).filter((connection) => connection.status !== 'end');
    await Promise.all(open.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }
}

/** Waits until `GET /alerts<query>` lists exactly `count` alerts matching `accept` and returns them. */
export async function waitForAlerts(api: ApiClient, query: string, count: number, accept: (alert: AlertJson) => boolean = () => true, timeoutMs = 20_000): Promise<AlertJson[]> {
  let last: AlertJson[] = [];
  return waitFor(
    async () => {
      last = (await api.get<{ items: AlertJson[] }>(`/alerts${query}`)).items.filter(accept);
      return last.length === count ? last : undefined;
    },
    { timeoutMs, intervalMs: 50, message: () => `${count} alerts for ${query} (have ${JSON.stringify(last.map((a) => [a.labels, a.status, a.severity]))})` },
  );
}
