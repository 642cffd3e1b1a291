import type { Counter, Registry } from 'prom-client';
import type { RedisConnection } from '../connection/redis-connection';
import { silentLogger, type Logger } from '../logging/logger';
import { counter } from '../metrics/get-or-create-metric';
import type { CloudEvent } from './cloud-event';
import { encodeEvent } from './event-codec';
import { EventValidationError } from './event-validation-error';
import { STREAMS, streamKey, type StreamName } from './streams';
import { validateEvent } from './validate-event';

/** Options of {@link StreamPublisher}. */
export interface StreamPublisherOptions {
  /** Connection that runs XADD (passed in, never created here). */
  redis: RedisConnection;
  /** Key prefix of every stream of this deployment, e.g. `staging:` (default: none). */
  prefix?: string;
  /** MAXLEN ~ of streams that are not in `STREAMS` (default 10000). */
  maxLen?: number;
  /** prom-client registry for `rebal_events_published_total` (default: the global registry). */
  registry?: Registry;
  /** Logger (default: silent). */
  logger?: Logger;
}

function isStreamName(stream: string): stream is StreamName {
  return Object.prototype.hasOwnProperty.call(STREAMS, stream);
}

/**
 * Validates events and appends them to streams with XADD ... MAXLEN ~ n, n taken from the
 * `STREAMS` table (or `maxLen` for other streams). A stream from the table only accepts the
 * event types the table lists for it.
 */
export class StreamPublisher {
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly maxLen: number;
  private readonly logger: Logger;
  private readonly published: Counter<'stream' | 'type'>;
  private readonly failed: Counter<'stream'>;

  constructor(options: StreamPublisherOptions) {
    const maxLen = options.maxLen ?? 10_000;
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
    this.redis = options.redis;
    this.prefix = options.prefix ?? '';
    this.maxLen = maxLen;
    this.logger = options.logger ?? silentLogger();
    this.published = counter({
      name: 'rebal_events_published_total',
      help: 'Events appended to a stream, by stream and event type.',
      labelNames: ['stream', 'type'],
      registry: options.registry,
    });
    this.failed = counter({
      name: 'rebal_events_publish_failed_total',
      help: 'XADDs that failed (Redis errors; invalid events are not counted).',
      labelNames: ['stream'],
      registry: options.registry,
    });
  }

  /** The Redis key of `stream` with this publisher's prefix. */
  keyOf(stream: string): string {
    return streamKey(stream, this.prefix);
  }

  /**
   * Validates `event` and appends it to `stream` (a name without prefix). Resolves with the
   * entry id. Throws {@link EventValidationError} (nothing written) for an invalid event.
   */
  async publish(stream: string, event: CloudEvent): Promise<string> {
    const [id] = await this.publishMany(stream, [event]);
    return id;
  }

  /**
   * Validates every event first (one invalid event: {@link EventValidationError}, nothing
   * written), then appends them in order in one pipeline. Resolves with their entry ids.
   */
  async publishMany(stream: string, events: readonly CloudEvent[]): Promise<string[]> {
    for (const event of events) this.check(stream, event);
    const key = this.keyOf(stream);
    const maxLen = String(isStreamName(stream) ? STREAMS[stream].maxLen : this.maxLen);
    try {
      let ids: string[];
      if (events.length === 1) {
        ids = [(await this.redis.xadd(key, 'MAXLEN', '~', maxLen, '*', ...encodeEvent(events[0]))) as string];
      } else {
        const pipeline = this.redis.pipeline();
        for (const event of events) pipeline.xadd(key, 'MAXLEN', '~', maxLen, '*', ...encodeEvent(event));
        const replies = (await pipeline.exec()) ?? [];
        ids = replies.map(([error, id]) => {
          if (error) throw error;
          return id as string;
        });
      }
      for (const event of events) this.published.inc({ stream, type: event.type });
      return ids;
    } catch (error) {
      this.failed.inc({ stream });
      this.logger.warn({ stream, err: error }, 'publishing to stream failed');
      throw error;
    }
  }

  private check(stream: string, event: CloudEvent): void {
    const result = validateEvent(event);
    if (!result.ok) throw new EventValidationError(result.reason, stream);
    if (isStreamName(stream) && !(STREAMS[stream].types as readonly string[]).includes(event.type)) {
      throw new EventValidationError(`event type "${event.type}" does not belong on stream ${stream}`, stream);
    }
  }
}
