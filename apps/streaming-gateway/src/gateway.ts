import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ConnectionState,
  createRedisConnection,
  duplicateConnection,
  HeartbeatPublisher,
  silentLogger,
  StreamPublisher,
  type Logger,
  type RedisConnection,
} from '@rebal/redis-client';
import { closeAll, createHttpApp, listen, type ListeningServer, type ReadinessReport, type Service } from '@rebal/service-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createTokenVerifier } from './auth';
import { CHANNEL_STREAMS, GrantSets, type ChannelStream } from './channels';
import type { GatewayConfig } from './config';
import { ClientConnection, ConnectionSweep, type ConnectionDeps } from './connection';
import { Fanout, SubscriptionIndex } from './fanout';
import { GatewayError } from './gateway-error';
import { isGatewayReady } from './gateway-readiness';
import { createGatewayMetrics } from './metrics';
import { GatewayCloseCode } from '@rebal/gateway-client';
import { RateLimiter, SESSION_ID_PATTERN } from './protocol';
import { serveDashboard, WebSocketEndpoint, type GatewaySocket } from './server';
import { SessionStore, SessionWriter } from './sessions';

/** Service name in heartbeats and logs. */
export const GATEWAY_SERVICE = 'streaming-gateway';

/** How long shutdown waits for clients to complete the 1001 close before cutting them. */
const CLIENT_CLOSE_WAIT_MS = 2_000;
/** How long shutdown waits for the sockets it cut off to report closed. */
const TERMINATED_WAIT_MS = 500;

/** Options of {@link createStreamingGateway} besides the configuration. */
export interface StreamingGatewayOptions {
  /** Logger (default: silent; `main.ts` passes a pino logger). */
  readonly logger?: Logger;
  /** prom-client registry for every metric and `/metrics`, process metrics included (default: a new registry). */
  readonly registry?: Registry;
}

/** A point-in-time view of the gateway, for tests and diagnostics. */
export interface GatewayStats {
  /** Open connections. */
  readonly connections: number;
  /** Subscriptions over all connections. */
  readonly subscriptions: number;
  /** Largest per-connection send buffer seen after any send, over the gateway's life, in bytes. */
  readonly peakSendBufferBytes: number;
}

/** The running gateway: `start()`, `close()`, and what tests and operators look at. */
export interface StreamingGateway extends Service {
  /** Fan-out group of this replica, `gateway.<instance>`. */
  readonly group: string;
  /** The bound port; throws `ERR_GATEWAY_NOT_STARTED` before `start()` resolved. */
  readonly port: number;
  /** What `/readyz` reports. */
  readiness(): ReadinessReport;
  /** Connection counters. */
  stats(): GatewayStats;
}

/**
 * Wires the streaming gateway from its configuration: Redis connections (one command
 * connection, one blocking reader per client-facing stream), the fan-out groups, sessions
 * (written when they change and when their connection closes, never on a timer), the token
 * verifier, `/ws` with its connections and their one timer (the sweep: deadlines and
 * heartbeats), `/livez` `/readyz` `/metrics`, the dashboard at `/` and the service heartbeat.
 * `close()` stops accepting, closes clients with 1001, writes all their sessions in pipelines,
 * stops the readers, deletes this replica's groups and releases everything.
 */
export function createStreamingGateway(config: GatewayConfig, options: StreamingGatewayOptions = {}): StreamingGateway {
  const logger = options.logger ?? silentLogger();
  const registry = options.registry ?? new Registry();
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  const { limits } = config;
  const metrics = createGatewayMetrics(registry);
  const redis = createRedisConnection(config.redis.main, { name: GATEWAY_SERVICE, logger });
  const blockingConnections = Object.fromEntries(
    CHANNEL_STREAMS.map((stream) => [stream, duplicateConnection(redis, { name: `${GATEWAY_SERVICE}:${stream}` })]),
  ) as Record<ChannelStream, RedisConnection>;
  const connectionState = new ConnectionState({ logger, name: GATEWAY_SERVICE, registry }).watch(redis);
  const index = new SubscriptionIndex();
  const fanout = new Fanout({ redis, blockingConnections, streamPrefix: config.redis.streamPrefix, instanceId: config.instanceId, index, metrics, logger, registry });
  const sessions = new SessionStore({ redis, keyPrefix: config.redis.streamPrefix, ttlMs: limits.sessionTtlMs });
  const sessionWriter = new SessionWriter({ store: sessions, metrics, logger });
  const heartbeat = new HeartbeatPublisher({
    publisher: new StreamPublisher({ redis, prefix: config.redis.streamPrefix, registry, logger }),
    service: GATEWAY_SERVICE,
    instance: config.instanceId,
    version: config.version,
    intervalMs: config.heartbeatPublishIntervalMs,
    // Degraded whenever it cannot deliver, although it stays ready for clients through an outage.
    status: () => (!closing && connectionState.isReady() && fanout.reading ? 'healthy' : 'degraded'),
    details: () => ({ connections: connections.size, group: fanout.group }),
    logger,
    registry,
  });
  const connections = new ConnectionSweep<ClientConnection>({ tickMs: ConnectionSweep.tickFor(limits), heartbeatIntervalMs: limits.heartbeatIntervalMs });
  let connectionSerial = 0;
  let peakClosed = 0;
  let closing: Promise<void> | undefined;
  let listening: ListeningServer | undefined;
  let started = false;
  let redisReadySince: number | undefined;
  let readersRan = false;

  const deps: ConnectionDeps = {
    verifier: createTokenVerifier(config.auth),
    grantSets: new GrantSets(),
    index,
    history: fanout,
    sessions,
    sessionWriter,
    limiter: new RateLimiter({ ratePerSecond: limits.rateLimitPerSecond, burst: limits.rateLimitBurst, closeAfterDenials: limits.rateLimitCloseAfter }),
    limits,
    metrics,
    logger,
    // The instance id alone may repeat (a restarted pod keeps its name): a random part per process.
    connectionIdPrefix: `${config.instanceId}:${randomUUID().slice(0, 8)}:`,
    isRedisReady: () => connectionState.isReady(),
    onClosed: (connection) => {
      connections.delete(connection);
      peakClosed = Math.max(peakClosed, connection.peakBufferedBytes);
    },
  };

  function readiness(): ReadinessReport {
    const redisReady = connectionState.isReady();
    const reading = fanout.reading;
    if (reading) readersRan = true;
    const redisReadyForMs = redisReady && redisReadySince !== undefined ? performance.now() - redisReadySince : 0;
    return {
      ready: isGatewayReady({ closing: closing !== undefined, started, readersRan, redisReady, reading, redisReadyForMs }),
      checks: { redis: connectionState.status, consumers: reading ? 'running' : 'not running', accepting: closing ? 'no' : 'yes' },
    };
  }

  const app = createHttpApp({
    registry,
    readiness,
    logger,
    routes: (routes) => {
      if (config.dashboardDir !== undefined) serveDashboard(routes, { dir: config.dashboardDir, alertApiUrl: config.alertApiUrl, healthApiUrl: config.healthApiUrl }, logger);
    },
  });
  const server = createServer(app);
  const endpoint = new WebSocketEndpoint({
    server,
    maxPayloadBytes: limits.maxPayloadBytes,
    allowedOrigins: config.corsOrigins,
    logger,
    onConnection: (ws: GatewaySocket, request: IncomingMessage) => {
      const connection = new ClientConnection(ws, deps, ++connectionSerial);
      connections.add(connection);
      const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
      const token = query.get('token');
      if (token) {
        const session = query.get('session') ?? undefined;
        connection.authenticateFromQuery(token, session !== undefined && SESSION_ID_PATTERN.test(session) ? session : undefined);
      }
    },
  });

  connectionState.on('change', (status) => {
    // A monotonic clock: the grace is a duration, which a wall-clock step must not shorten or stretch.
    redisReadySince = status === 'ready' ? performance.now() : undefined;
    if (status === 'ready' && started && !closing) logger.info({ group: fanout.group }, 'Redis Streams initialized successfully');
  });

  async function start(): Promise<void> {
    if (closing) throw new GatewayError('ERR_GATEWAY_CLOSED', 'the gateway was closed; create a new one');
    if (listening) return;
    listening = await listen(server, config.port, config.host);
    await fanout.start();
    started = true;
    heartbeat.start();
    connections.start();
    logger.info({ port: listening.port, instance: config.instanceId, group: fanout.group }, 'streaming gateway listening');
  }

  /**
   * 1001 to every client. Those that answer within the wait leave their sessions with every
   * position sent (written before their close completes), the others are cut off and leave the
   * confirmed ones; the writes of connections closing together go out in shared pipelines.
   */
  async function closeClients(): Promise<void> {
    for (const connection of connections) connection.closeWith(GatewayCloseCode.GoingAway);
    const deadline = Date.now() + CLIENT_CLOSE_WAIT_MS;
    while (connections.size > 0 && Date.now() < deadline) await delay(20);
    for (const connection of connections) connection.terminate();
    const cutOff = Date.now() + TERMINATED_WAIT_MS;
    while (connections.size > 0 && Date.now() < cutOff) await delay(10);
  }

  async function shutdown(): Promise<void> {
    logger.info({ connections: connections.size }, 'closing client connections (1001), the stream readers and the fan-out groups');
    endpoint.stopAccepting();
    const serverClosed = listening?.close(1_000);
    const failures = await closeAll(
      [
        ['close client connections', closeClients],
        ['stop the connection sweep', () => connections.stop()],
        ['write the sessions', () => Promise.race([sessionWriter.flush(), delay(CLIENT_CLOSE_WAIT_MS)])],
        ['stop heartbeats', () => heartbeat.stop()],
        ['stop stream readers', () => fanout.stop()],
        ['delete fan-out groups', () => (started ? fanout.destroyGroups() : undefined)],
        ['close HTTP server', () => serverClosed],
        ['close WebSocket endpoint', () => endpoint.close()],
        ['close Redis', () => closeRedis(redis, connectionState)],
      ],
      logger,
    );
    if (failures.length > 0) {
      throw new GatewayError('ERR_GATEWAY_CLOSE', `shutdown steps failed: ${failures.map((failure) => failure.step).join(', ')}`, { cause: failures[0].error });
    }
    logger.info('streaming gateway stopped');
  }

  return {
    group: fanout.group,
    get port(): number {
      if (!listening) throw new GatewayError('ERR_GATEWAY_NOT_STARTED', 'the gateway is not listening yet; await start()');
      return listening.port;
    },
    start,
    close: () => (closing ??= shutdown()),
    readiness,
    stats: () => {
      let subscriptions = 0;
      let peak = peakClosed;
      for (const connection of connections) {
        subscriptions += connection.subscriptionCount;
        peak = Math.max(peak, connection.peakBufferedBytes);
      }
      return { connections: connections.size, subscriptions, peakSendBufferBytes: peak };
    },
  };
}

async function closeRedis(redis: RedisConnection, state: ConnectionState): Promise<void> {
  state.close();
  try {
    await Promise.race([redis.quit(), delay(1_000).then(() => Promise.reject(new Error('QUIT timed out')))]);
  } catch {
    redis.disconnect();
  }
}
