import { backoffDelay, silentLogger, streamKey, type CloudEvent, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Registry } from 'prom-client';
import { CHANNEL_STREAMS, type ChannelStream } from '../channels';
import type { GatewayMetrics } from '../metrics';
import { readReplay, type ReplayResult } from './read-replay';
import { StreamFanout } from './stream-fanout';
import { readStreamPosition, type StreamPosition } from './stream-position';
import type { SubscriptionIndex } from './subscription-index';

/** Pauses between attempts to set up the streams' groups; a reconnect cuts a pause short. */
const SETUP_RETRY = { baseMs: 250, maxMs: 10_000, jitter: 'equal' } as const;

/** Options of {@link Fanout}. */
export interface FanoutOptions {
  /** Command connection: group setup, XINFO, XRANGE. */
  readonly redis: RedisConnection;
  /** One blocking connection per client-facing stream, owned by the fan-out (disconnected on stop). */
  readonly blockingConnections: Readonly<Record<ChannelStream, RedisConnection>>;
  /** Stream key prefix of the deployment (default none). */
  readonly streamPrefix?: string;
  /** This replica's id: consumer name, and group `gateway.<instanceId>`. */
  readonly instanceId: string;
  /** Where dispatched events go. */
  readonly index: SubscriptionIndex;
  /** Delivery metrics. */
  readonly metrics: GatewayMetrics;
  /** Logger (default: silent). */
  readonly logger?: Logger;
  /** prom-client registry of the runners' metrics (default: global). */
  readonly registry?: Registry;
}

/** A channel's history options, for {@link Fanout.replay}. */
export interface HistoryQuery {
  /** Exclusive start. */
  readonly since: string;
  /** Inclusive end (the stream position read after the subscription was registered). */
  readonly end: string;
  /** Subject filter of a subject channel. */
  readonly subject?: string;
  /** Replay cap. */
  readonly cap: number;
}

/**
 * This replica's live readers, one per client-facing stream, feeding the subscription index;
 * plus the history reads resumes need. `start()` sets every stream up once Redis answers:
 * with Redis down it returns and keeps retrying with backoff, at once when the command
 * connection comes back (the service is degraded, not dead), logging `Redis Streams
 * initialized successfully` when all readers run. Until a stream's reader runs, `isLive`
 * says so and subscribes to it are refused: a reader starts at the stream's end, so a
 * subscription accepted before would miss what came in between.
 */
export class Fanout {
  /** The fan-out group of this replica. */
  readonly group: string;
  private readonly options: FanoutOptions;
  private readonly logger: Logger;
  private readonly readers: StreamFanout[];
  private readonly abort = new AbortController();
  private retryLoop?: Promise<void>;
  private failing = false;
  private readonly sent;
  private readonly sentBytes;

  constructor(options: FanoutOptions) {
    this.options = options;
    this.group = `gateway.${options.instanceId}`;
    this.logger = options.logger ?? silentLogger();
    this.sent = options.metrics.messagesSent.labels('event');
    this.sentBytes = options.metrics.bytesSent.labels('event');
    this.readers = CHANNEL_STREAMS.map(
      (stream) =>
        new StreamFanout({
          redis: options.redis,
          blockingRedis: options.blockingConnections[stream],
          stream,
          key: this.keyOf(stream),
          group: this.group,
          consumer: options.instanceId,
          onEvent: this.onEvent,
          onDiscontinuity: (stream) => options.index.interrupt(stream),
          onCatchUpFailure: () => options.metrics.catchUpFailures.inc(),
          logger: this.logger,
          registry: options.registry,
        }),
    );
  }

  /** True while every stream's reader runs and its last read succeeded. */
  get reading(): boolean {
    return this.readers.every((reader) => reader.reading);
  }

  /** Whether the reader of `stream` runs (its group is set up and reading started). */
  isLive(stream: ChannelStream): boolean {
    return this.readers.some((reader) => reader.stream === stream && reader.started);
  }

  /** The Redis key of a stream. */
  keyOf(stream: ChannelStream): string {
    return streamKey(stream, this.options.streamPrefix ?? '');
  }

  /** Sets up every stream; on failure keeps retrying in the background. Resolves after the first attempt. */
  async start(): Promise<void> {
    if (this.retryLoop || this.abort.signal.aborted) return;
    if (await this.startAll()) return;
    this.retryLoop = this.retry();
  }

  /** Stops every reader (their blocking connections are disconnected). Idempotent. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.retryLoop;
    await Promise.all(this.readers.map((reader) => reader.stop()));
  }

  /** Deletes this replica's groups, after `stop()`. Rejects with the first failure after trying all. */
  async destroyGroups(): Promise<void> {
    const results = await Promise.allSettled(this.readers.map((reader) => reader.destroyGroup()));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    this.logger.info({ group: this.group }, 'deleted the fan-out groups');
  }

  /** Where `stream` stands now (its last id, and what was trimmed). */
  position(stream: ChannelStream): Promise<StreamPosition> {
    return readStreamPosition(this.options.redis, this.keyOf(stream));
  }

  /** Reads a channel's history (see `readReplay`). */
  replay(stream: ChannelStream, query: HistoryQuery): Promise<ReplayResult> {
    return readReplay(this.options.redis, { stream, key: this.keyOf(stream), ...query });
  }

  private readonly onEvent = (stream: ChannelStream, id: string, event: CloudEvent): void => {
    const { deliveries, bytes } = this.options.index.dispatch(stream, id, event);
    if (deliveries === 0) return;
    this.sent.inc(deliveries);
    this.sentBytes.inc(bytes);
    const addedAt = Number(id.slice(0, id.indexOf('-')));
    this.options.metrics.deliveryLatency.observe({ stream }, Math.max(0, Date.now() - addedAt) / 1_000);
  };

  private async startAll(): Promise<boolean> {
    const results = await Promise.allSettled(this.readers.map((reader) => reader.start()));
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed.length === 0) {
      this.failing = false;
      if (!this.abort.signal.aborted) this.logger.info({ group: this.group }, 'Redis Streams initialized successfully');
      return true;
    }
    this.options.metrics.fanoutStartFailures.inc(failed.length);
    if (!this.failing) this.logger.warn({ err: failed[0].reason, failed: failed.length }, 'setting up the fan-out groups failed; retrying with backoff');
    this.failing = true;
    return false;
  }

  private async retry(): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      await this.pauseUntilReady(backoffDelay(attempt, SETUP_RETRY));
      if (this.abort.signal.aborted) return;
      if (await this.startAll()) return;
    }
  }

  /**
   * Waits `ms`, or less: until the command connection (re)connects, or stop. Subscribes are
   * refused until the readers run, so they start as soon as Redis answers, not after the
   * backoff built up during the outage.
   */
  private pauseUntilReady(ms: number): Promise<void> {
    const { redis } = this.options;
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        redis.off('ready', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      redis.on('ready', done);
      signal.addEventListener('abort', done);
    });
  }
}
