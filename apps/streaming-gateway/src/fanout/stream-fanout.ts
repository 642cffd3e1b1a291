import { ConsumerGroupRunner, decodeEntry, silentLogger, STREAMS, type CloudEvent, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Registry } from 'prom-client';
import type { ChannelStream } from '../channels';
import { compareStreamIds } from '@rebal/gateway-client';
import { holdsAllAfter } from './holds-all-after';
import { readStreamPosition } from './stream-position';

/** Entries per XREADGROUP and per catch-up XRANGE. */
const READ_COUNT = 500;
/** Pause before a failed catch-up is tried again, ms. */
const CATCH_UP_RETRY_MS = 500;

/** Receives each new entry of a stream once, in stream order. */
export type FanoutEventHandler = (stream: ChannelStream, id: string, event: CloudEvent) => void;

/** Options of {@link StreamFanout}. */
export interface StreamFanoutOptions {
  /** Command connection (XGROUP, XINFO, and the XRANGE of a catch-up). */
  readonly redis: RedisConnection;
  /** A blocking connection of its own for XREADGROUP BLOCK; owned: `stop()` disconnects it. */
  readonly blockingRedis: RedisConnection;
  /** Logical stream name. */
  readonly stream: ChannelStream;
  /** Stream key, prefix included. */
  readonly key: string;
  /** Fan-out group of this replica, `gateway.<instance>`. */
  readonly group: string;
  /** Consumer name: the instance id. */
  readonly consumer: string;
  /** Called for every new entry, in stream order, never twice for one id. */
  readonly onEvent: FanoutEventHandler;
  /**
   * Called when a catch-up finds that the stream no longer continues from the last entry
   * handed on (see {@link StreamFanout}): entries after it were trimmed unseen, or new ones
   * have lower ids. Its subscribers cannot go on without a gap.
   */
  readonly onDiscontinuity: (stream: ChannelStream) => void;
  /** XREADGROUP BLOCK in ms (default: the runner's, 2 000). */
  readonly blockMs?: number;
  /** Called for every failed catch-up (count it; default: nothing). */
  readonly onCatchUpFailure?: (error: unknown) => void;
  /** Logger (default: silent). */
  readonly logger?: Logger;
  /** prom-client registry of the runner's `rebal_consumer_*` metrics, e.g. its lag (default: global). */
  readonly registry?: Registry;
}

/**
 * The live reader of one stream for this replica: group `gateway.<instance>` read with NOACK
 * by a `ConsumerGroupRunner` with one handler at a time, so entries arrive in stream order.
 * Only valid events of a type the stream carries (`STREAMS[stream].types`) are handed on,
 * by the group reads and the catch-ups alike; any other entry is skipped.
 *
 * At start the group is created at the stream's end, or, when a group of that name is left
 * over from an earlier process with the same instance id, moved to the end (its backlog is
 * old news for clients that are not connected yet).
 *
 * A NOACK read moves the group past its entries when Redis runs it, so a reply lost with a
 * dropped connection (a Redis restart) would skip them for good. Hence, after every
 * reconnect of the blocking connection, a catch-up reads the stream with XRANGE from the
 * last entry handed on, before any further entry is handed on. Entries at or below the last
 * one handed on are dropped, so the overlap between catch-up and group reads (or a group
 * the runner recreates from its start position) never reaches a client twice.
 *
 * The stream may also not continue from there. It was trimmed past the last entry handed on
 * while the reader was cut off (a long partition from Redis while producers went on), or it
 * went back: a failover with asynchronous replication (or a restart from an AOF missing its
 * last second) lost the latest entries, and a new master whose clock is behind gives new
 * entries ids below those handed on, which the rule above would drop for good. Either way
 * subscribers would miss events without being told. So each catch-up first checks that the
 * last entry handed on is still there; when it is gone, `onDiscontinuity` ends every
 * subscription of the stream (clients resume, and their resume reads the history as it now
 * is and reports the gap), and hand-on continues after the stream's present last id.
 */
export class StreamFanout {
  /** Logical stream name. */
  readonly stream: ChannelStream;
  private readonly options: StreamFanoutOptions;
  private readonly logger: Logger;
  private runner?: ConsumerGroupRunner;
  private lastId?: string;
  private stopped = false;
  private serial: Promise<void> = Promise.resolve();
  private catchUpNeeded = false;
  private catchUpFailing = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(options: StreamFanoutOptions) {
    this.options = options;
    this.stream = options.stream;
    this.logger = (options.logger ?? silentLogger()).child({ stream: options.key, group: options.group });
    options.blockingRedis.on('ready', this.onReconnect);
  }

  /** True while the runner reads and its last read succeeded. */
  get reading(): boolean {
    return this.runner?.reading ?? false;
  }

  /** True once the group exists and the runner runs. */
  get started(): boolean {
    return this.runner?.state === 'running';
  }

  /** Creates (or resets) the group at the stream's end and starts reading. Retry it after a failure. */
  async start(): Promise<void> {
    if (this.stopped || this.started) return;
    if (!this.runner) {
      const startId = await this.prepareGroup();
      if (this.stopped) return;
      this.lastId = startId;
      this.runner = this.createRunner(startId);
    }
    await this.runner.start();
  }

  /** Stops reading; the blocking connection is disconnected. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.options.blockingRedis.off('ready', this.onReconnect);
    if (this.runner) await this.runner.stop();
    else this.options.blockingRedis.disconnect();
    await this.serial;
  }

  /** Deletes the group (XGROUP DESTROY), after `stop()`; true when it existed. */
  async destroyGroup(): Promise<boolean> {
    if (this.runner) return this.runner.destroyGroup();
    return Number(await this.options.redis.xgroup('DESTROY', this.options.key, this.options.group)) === 1;
  }

  private async prepareGroup(): Promise<string> {
    const { redis, key, group } = this.options;
    try {
      await redis.xgroup('CREATE', key, group, '$', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
      this.logger.info('fan-out group left over from an earlier run: moving it to the stream end');
    }
    const { lastId } = await readStreamPosition(redis, key);
    await redis.xgroup('SETID', key, group, lastId);
    return lastId;
  }

  private createRunner(startId: string): ConsumerGroupRunner {
    const { redis, blockingRedis, key, group, consumer, registry } = this.options;
    return new ConsumerGroupRunner({
      redis,
      blockingRedis,
      stream: key,
      group,
      consumer,
      noAck: true,
      concurrency: 1,
      count: READ_COUNT,
      ...(this.options.blockMs === undefined ? {} : { blockMs: this.options.blockMs }),
      // If the group disappears the runner recreates it here; entries already handed on are dropped.
      startId,
      // A foreign producer may XADD any known type here: only the stream's own types go out.
      types: STREAMS[this.stream].types,
      ownsBlockingConnection: true,
      logger: this.options.logger,
      registry,
      handler: (event, entry) => this.inOrder(() => this.onEntry(entry.id, event)),
    });
  }

  /** Runs `task` after every earlier one: group reads and catch-ups never interleave. */
  private inOrder(task: () => Promise<void> | void): Promise<void> {
    const run = this.serial.then(task);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private async onEntry(id: string, event: CloudEvent): Promise<void> {
    // Until a catch-up succeeds nothing newer is handed on: that catch-up re-reads this entry.
    if (this.catchUpNeeded && !(await this.catchUp())) return;
    this.handOn(id, event);
  }

  private handOn(id: string, event: CloudEvent): void {
    if (this.lastId !== undefined && compareStreamIds(id, this.lastId) <= 0) return;
    this.lastId = id;
    this.options.onEvent(this.stream, id, event);
  }

  /**
   * After a reconnect: whether the stream still continues from the last entry handed on (see
   * the class comment). When that entry is gone, entries after it may be gone too (trimmed
   * while the reader was cut off) or new ones may have lower ids (the stream went back): the
   * stream's subscriptions end, and hand-on continues after the stream's present end.
   */
  private async checkContinuity(): Promise<void> {
    const { redis, key } = this.options;
    const handedOn = this.lastId;
    if (handedOn === undefined) return;
    if (((await redis.xrange(key, handedOn, handedOn)) as unknown[]).length > 0) return;
    const stream = await readStreamPosition(redis, key);
    // E.g. the end of a stream that was empty when the reader started: never an entry, and nothing lost after it.
    if (holdsAllAfter(stream, handedOn)) return;
    const wentBack = compareStreamIds(stream.lastId, handedOn) < 0 || (stream.firstId !== undefined && compareStreamIds(stream.firstId, handedOn) < 0);
    this.logger.warn(
      { handedOn, streamFirstId: stream.firstId, streamLastId: stream.lastId },
      wentBack
        ? 'the stream went back: the last entry handed on is gone (a failover or restart lost entries); its subscriptions end so their clients resume'
        : 'the stream was trimmed past the last entry handed on while the reader was cut off; its subscriptions end so their clients resume',
    );
    this.lastId = stream.lastId;
    this.options.onDiscontinuity(this.stream);
  }

  private readonly onReconnect = (): void => {
    if (this.stopped || this.lastId === undefined) return;
    this.catchUpNeeded = true;
    void this.inOrder(() => this.catchUpIfNeeded());
  };

  private async catchUpIfNeeded(): Promise<void> {
    if (this.catchUpNeeded && !this.stopped) await this.catchUp();
  }

  /** Hands on every valid entry of the stream's types after the last one handed on; false (and a retry scheduled) on failure. */
  private async catchUp(): Promise<boolean> {
    try {
      await this.checkContinuity();
      let caughtUp = 0;
      for (;;) {
        const after = this.lastId ?? '0-0';
        const page = (await this.options.redis.xrange(this.options.key, `(${after}`, '+', 'COUNT', READ_COUNT)) as Array<[string, string[]]>;
        for (const [id, fields] of page) {
          const decoded = decodeEntry(fields, { types: STREAMS[this.stream].types });
          if (decoded.ok) this.handOn(id, decoded.event);
          else if (this.lastId === undefined || compareStreamIds(id, this.lastId) > 0) this.lastId = id;
          caughtUp++;
        }
        if (page.length < READ_COUNT || this.stopped) break;
      }
      this.catchUpNeeded = false;
      if (caughtUp > 0 || this.catchUpFailing) this.logger.info({ entries: caughtUp }, 'caught up with the stream after a reconnect');
      this.catchUpFailing = false;
      return true;
    } catch (error) {
      this.options.onCatchUpFailure?.(error);
      if (!this.catchUpFailing) this.logger.warn({ err: error }, 'catching up with the stream failed; retrying');
      this.catchUpFailing = true;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.inOrder(() => this.catchUpIfNeeded()), CATCH_UP_RETRY_MS);
      this.retryTimer.unref();
      return false;
    }
  }
}
