import { ConsumerGroupRunner, runPeriodicTask, silentLogger, STREAMS, streamIdMs, type HeartbeatData, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Registry } from 'prom-client';
import type { HeartbeatRegistry } from './heartbeat-registry';

/** Pauses between attempts to start while Redis is unreachable: 100 ms, doubling to 5 s. */
const START_RETRY = { baseMs: 100, maxMs: 5_000 } as const;

/** The consumer group of every health monitor replica on `service_heartbeats`. */
export const HEARTBEAT_GROUP = 'health-monitor';

/** Options of {@link HeartbeatConsumer}. */
export interface HeartbeatConsumerOptions {
  /** Command connection (XGROUP, XACK, XAUTOCLAIM; not owned). */
  redis: RedisConnection;
  /** Connection of its own for XREADGROUP BLOCK; owned: closed on `stop()`. */
  blockingRedis: RedisConnection;
  /** Key of `service_heartbeats`, prefix included. */
  stream: string;
  /** Consumer name: the instance id. */
  consumer: string;
  /** Where heartbeats are recorded. */
  registry: HeartbeatRegistry;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry of the runner's `rebal_consumer_*` metrics (default: the global registry). */
  metricsRegistry?: Registry;
  /** Called once reading has started (again after every failed start). */
  onStarted?: () => void;
}

/**
 * Reads `service_heartbeats` in group `health-monitor` (a `ConsumerGroupRunner`, consumer name
 * = instance id) and records each heartbeat in the shared {@link HeartbeatRegistry}, stamped
 * with the time of its stream entry (the Redis clock, not the sender's). Replicas share the
 * group, so each records part of the heartbeats and all read the whole registry.
 * A runner cannot start while Redis is unreachable (it creates its group first): this keeps
 * trying, with a doubling pause, until it starts or is stopped.
 */
export class HeartbeatConsumer {
  private readonly runner: ConsumerGroupRunner;
  private readonly logger: Logger;
  private readonly onStarted?: () => void;
  private readonly abort = new AbortController();
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private started = false;

  constructor(options: HeartbeatConsumerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.onStarted = options.onStarted;
    const registry = options.registry;
    this.runner = new ConsumerGroupRunner({
      redis: options.redis,
      blockingRedis: options.blockingRedis,
      ownsBlockingConnection: true,
      stream: options.stream,
      group: HEARTBEAT_GROUP,
      consumer: options.consumer,
      // A new group reads the recent history (the stream keeps ~1000 heartbeats), so a first
      // deployment knows every live instance at once; older heartbeats never overwrite newer ones.
      startId: '0',
      // Only heartbeats: another type on this stream (a foreign producer's XADD) is dead-lettered.
      types: STREAMS.service_heartbeats.types,
      logger: this.logger,
      registry: options.metricsRegistry,
      handler: async (event, entry) => {
        // The entry id's time, stamped by Redis: the one clock silence is measured on. (Every id Redis generates has one.)
        const seenMs = streamIdMs(entry.id);
        if (seenMs !== null) await registry.record(event.data as HeartbeatData, seenMs);
      },
    });
    // Failures are counted and logged by the runner; a listener keeps them off 'error'-less emitters.
    this.runner.on('error', () => undefined);
  }

  /** True while the runner reads and its last read succeeded. */
  get reading(): boolean {
    return this.runner.reading;
  }

  /** Starts the runner in the background, retrying while Redis is unreachable. Idempotent. */
  start(): void {
    this.starting ??= this.startWithRetry();
  }

  /**
   * Stops trying to start, stops the runner (it closes its blocking connection) and removes
   * this consumer from the group, so a graceful shutdown leaves nothing to reap (what it had
   * read and not handled is dropped: heartbeats are periodic, the next one comes). Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      await this.starting;
      const started = this.started;
      await this.runner.stop();
      if (started) {
        await this.runner.deleteConsumer().catch((error: unknown) => this.logger.warn({ err: error }, 'could not remove this consumer from the heartbeat group; the lease holder reaps it later'));
      }
    })();
    return this.stopping;
  }

  private startWithRetry(): Promise<void> {
    return runPeriodicTask({
      name: 'heartbeat consumer start',
      intervalMs: START_RETRY.baseMs,
      backoff: START_RETRY,
      signal: this.abort.signal,
      logger: this.logger,
      task: async () => {
        await this.runner.start();
        this.started = true;
        this.onStarted?.();
        return 'done';
      },
    });
  }
}
