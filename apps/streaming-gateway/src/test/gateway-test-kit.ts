// Helpers for the gateway's integration tests: a config against a test Redis, gateways on
// port 0 with their own metrics registry, tokens, events and pipelined publishing.
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  createRedisConnection,
  parseRedisConfig,
  StreamPublisher,
  waitUntilReady,
  type CloudEvent,
  type RedisConnection,
} from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { signDevToken } from '../auth';
import { parseGatewayConfig, type GatewayConfig, type GatewayLimits } from '../config';
import { createStreamingGateway, type StreamingGateway } from '../gateway';

/**
 * The part of `@rebal/redis-testing`'s `RedisTestServer` these helpers use (typed here so this
 * module, which the app's typecheck also compiles, does not pull in the jest-only harness).
 */
export interface TestRedisServer {
  /** Environment for `parseRedisConfig`. */
  readonly env: Record<string, string>;
}

/** The HS256 secret of test gateways. */
export const TEST_SECRET = 'integration-test-secret-of-at-least-32-bytes';

/** A unique stream/session key prefix for one test, e.g. `t-1a2b3c4d:`. */
export function uniquePrefix(): string {
  return `t-${randomUUID().slice(0, 8)}:`;
}

/** What a test gateway may override. */
export interface TestGatewayOptions {
  /** Key prefix (use `uniquePrefix()` once per test and share it between replicas). */
  readonly prefix: string;
  /** Instance id (default: random). */
  readonly instanceId?: string;
  /** Limits to change. */
  readonly limits?: Partial<GatewayLimits>;
  /** Extra environment, e.g. `AUTH_CLOCK_TOLERANCE`. */
  readonly env?: Record<string, string>;
}

/** A gateway configuration against `server`, listening on 127.0.0.1 port 0. */
export function testGatewayConfig(server: TestRedisServer, options: TestGatewayOptions): GatewayConfig {
  const config = parseGatewayConfig({
    ...server.env,
    AUTH_JWT_SECRET: TEST_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    INSTANCE_ID: options.instanceId ?? `gw-${randomUUID().slice(0, 8)}`,
    REDIS_STREAM_PREFIX: options.prefix,
    HEARTBEAT_INTERVAL: '1s',
    ...options.env,
  });
  return { ...config, limits: { ...config.limits, ...options.limits } };
}

/** Creates and starts a gateway with its own metrics registry; close it in `afterAll`/`finally`. */
export async function startTestGateway(server: TestRedisServer, options: TestGatewayOptions): Promise<{ gateway: StreamingGateway; registry: Registry }> {
  const registry = new Registry();
  const gateway = createStreamingGateway(testGatewayConfig(server, options), { registry });
  try {
    await gateway.start();
  } catch (error) {
    await gateway.close().catch(() => undefined);
    throw error;
  }
  return { gateway, registry };
}

/** A command connection to `server` for test setup and inspection; `quit()` it at the end. */
export async function testRedis(server: TestRedisServer): Promise<RedisConnection> {
  const redis = createRedisConnection(parseRedisConfig(server.env).main, { name: 'gateway-test' });
  await waitUntilReady(redis);
  return redis;
}

/** A token for the test secret granting `channels`. */
export function testToken(channels: readonly string[], options: { subject?: string; expiresInSec?: number; nowMs?: number } = {}): Promise<string> {
  return signDevToken({ secret: TEST_SECRET, subject: options.subject ?? 'user-1', channels, expiresInSec: options.expiresInSec, nowMs: options.nowMs });
}

/** A `price_update` of `symbol`. */
export function priceEvent(symbol: string, n: number): CloudEvent {
  return createEvent({ type: 'price_update', source: '/gateway-test', subject: symbol, data: { symbol, price: n + 1, currency: 'USD' } });
}

/** An `alert.raised` event of alert `alertId`. */
export function alertEvent(alertId: string): CloudEvent {
  return createEvent({ type: 'alert.raised', source: '/gateway-test', subject: alertId, data: { alert: { id: alertId, severity: 'S2' } } });
}

/** A `portfolio_snapshot` of `portfolioId`, with `holdings` holdings (to make big events). */
export function portfolioEvent(portfolioId: string, holdings = 1): CloudEvent {
  return createEvent({
    type: 'portfolio_snapshot',
    source: '/gateway-test',
    subject: portfolioId,
    data: {
      portfolioId,
      totalValue: 1000 * holdings,
      holdings: Array.from({ length: holdings }, (_, i) => ({ symbol: `S${i}`, quantity: i + 1, value: 1000 })),
      targets: { S0: 1 },
    },
  });
}

/** Publishes events to a stream (logical name) under `prefix`, in pipelined batches; resolves with their ids. */
export async function publishEvents(redis: RedisConnection, prefix: string, stream: string, events: readonly CloudEvent[], batch = 500): Promise<string[]> {
  const publisher = new StreamPublisher({ redis, prefix, registry: new Registry() });
  const ids: string[] = [];
  for (let start = 0; start < events.length; start += batch) ids.push(...(await publisher.publishMany(stream, events.slice(start, start + batch))));
  return ids;
}

/** Every entry id of a stream, with its subject, in stream order. */
export async function streamEntries(redis: RedisConnection, key: string): Promise<Array<{ id: string; subject?: string }>> {
  const entries = (await redis.xrange(key, '-', '+')) as Array<[string, string[]]>;
  return entries.map(([id, fields]) => {
    const at = fields.indexOf('subject');
    return at >= 0 && at % 2 === 0 ? { id, subject: fields[at + 1] } : { id };
  });
}

/** The ids of a channel (`stream` or `stream:subject`) among `entries`. */
export function channelIds(entries: ReadonlyArray<{ id: string; subject?: string }>, channel: string): string[] {
  const cut = channel.indexOf(':');
  if (cut === -1) return entries.map((entry) => entry.id);
  const subject = channel.slice(cut + 1);
  return entries.filter((entry) => entry.subject === subject).map((entry) => entry.id);
}
