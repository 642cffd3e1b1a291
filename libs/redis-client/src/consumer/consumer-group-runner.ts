import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { dlqKey } from '../events/streams';
import type { Logger } from '../logging/logger';
import { backoffDelay } from '../retry/backoff-delay';
import { runPeriodicTask } from '../retry/periodic-task';
import { LuaScript } from '../scripts/lua-script';
import { ConsumerGroupRunnerError } from './consumer-group-runner-error';
import { resolveRunnerOptions, type ConsumerGroupRunnerOptions, type ResolvedRunnerOptions } from './consumer-group-runner-options';
import { createConsumerMetrics, type ConsumerMetrics } from './consumer-metrics';
import { errorMessage, type DeadLetterNotice } from './dead-letter';
import { EntryProcessor } from './entry-processor';
import { watchReconnects } from './watch-reconnects';
import { findGroupInfo, parseAutoClaimReply, parsePendingReply, parseReadReply, type StreamEntry } from './stream-replies';

/** Lifecycle of a runner: `idle` → `running` → `stopping` → `stopped` (one way; create a new runner to run again). */
export type ConsumerGroupRunnerState = 'idle' | 'running' | 'stopping' | 'stopped';

/** Events a runner emits: `error` (Redis failures; only emitted when someone listens) and `dead-letter`. */
export type ConsumerGroupRunnerEvents = {
  error: [error: Error];
  'dead-letter': [notice: DeadLetterNotice];
};

/** Extra time `stop()` gives the current read or claim to return, on top of `blockMs`. */
const STOP_GRACE_MS = 1_000;
/** First backoff after a failed read; it doubles up to `maxBackoffMs`. */
const BACKOFF_START_MS = 100;

/** True if every promise settles within `ms`. */
async function settlesWithin(promises: Array<Promise<unknown>>, ms: number): Promise<boolean> {
  const deadline = delay(ms, false, { ref: false });
  return Promise.race([Promise.allSettled(promises).then(() => true), deadline]);
}

const isNoGroupError = (error: unknown): boolean => errorMessage(error).startsWith('NOGROUP');

const KEEP_QUEUED = new LuaScript(join(__dirname, 'keep-queued-entries.lua'));
/** Most ids one `keep-queued-entries.lua` call takes (Lua's stack bounds an unpacked argument list). */
const KEEP_QUEUED_BATCH = 1_000;
/** A handler outcome meaning "it did not throw" (a handler may throw anything, `undefined` included). */
const NO_FAILURE = Symbol('no failure');

/**
 * Reads one stream through one consumer group, at least once: a bounded number of handlers
 * run at once and an entry is acked only after its handler succeeds. It reads its own
 * pending entries first (at start and after every reconnect), then new ones; a periodic
 * XAUTOCLAIM takes over entries idle past `claimIdleMs`, from dead consumers and its own
 * failed attempts alike. An entry that fails validation, or whose handler fails on its
 * `maxDeliveries`-th delivery, is copied to `<stream>:dlq` with the reason and acked; a bad
 * entry never stops the runner.
 *
 * An entry read (or claimed) while every handler slot is taken waits in memory for a slot.
 * Its idle time must not grow meanwhile, or XAUTOCLAIM would count a delivery for it, hand
 * it to another consumer or dead-letter it without its handler ever failing: every
 * `claimIdleMs / 3` the runner resets the idle time of its queued entries that are still its
 * own (`keep-queued-entries.lua`, XCLAIM JUSTID) and drops those another consumer took.
 * Idle time thus grows only on entries a handler is running (or on those of a consumer that
 * stopped refreshing: a dead one). Reads stay at `count`, so a batch costs one round trip.
 *
 * Per entry the runner does what cannot be done per batch and nothing more: the entry object
 * parsed from the reply is the `ConsumerEntry` its handler gets, it is decoded and validated
 * once (compiled schemas), and up to `concurrency` lanes take entries from one in-memory
 * queue and await their handlers (no promise, closure or set entry of the runner's own per
 * entry). The acks of a turn of the event loop go out as one XACK, so a batch read in one
 * XREADGROUP is usually acked in one XACK; a handler's slot frees as soon as it returns.
 *
 * At-least-once edges: the dead-letter stream lives in another hash slot than the stream, so
 * the copy (XADD) and the XACK are two commands; a crash between them leaves the entry
 * pending and it is dead-lettered again later (a duplicate in the DLQ, never a loss). The
 * same holds for a handler whose XACK is lost: it runs again, hence idempotent handlers.
 *
 * With `noAck` (fan-out) the group keeps no pending list: nothing is acked, claimed or retried.
 */
export class ConsumerGroupRunner extends EventEmitter<ConsumerGroupRunnerEvents> {
  /** Stream key. */
  readonly stream: string;
  /** Consumer group. */
  readonly group: string;
  /** This consumer's name. */
  readonly consumer: string;
  /** Its dead-letter stream, `<stream>:dlq`. */
  readonly dlqKey: string;

  private readonly options: ResolvedRunnerOptions;
  private readonly logger: Logger;
  private readonly metrics: ConsumerMetrics;
  private readonly abort = new AbortController();
  /** Entries received and waiting for a lane, oldest first from `queueHead` on. */
  private readonly queue: StreamEntry[] = [];
  private queueHead = 0;
  /** Queued ids another consumer has claimed meanwhile: dropped when their turn comes. */
  private readonly lost = new Set<string>();
  /** The entry each lane works on (a handler, a dead-letter copy), by lane; undefined when the lane has none. */
  private readonly laneEntries: Array<StreamEntry | undefined>;
  private readonly laneBusy: boolean[];
  private readonly lanes = new Set<Promise<void>>();
  private activeLanes = 0;
  private handlersRunning = 0;
  private handlersIdle?: () => void;
  /** Who waits for the queue to shrink to `atMost` entries not started (or for the runner to stop). */
  private readonly queueWaiters: Array<{ atMost: number; resolve: () => void }> = [];
  private readonly processor: EntryProcessor;
  private current: ConsumerGroupRunnerState = 'idle';
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private loops: Array<Promise<void>> = [];
  private needsPendingRead = true;
  private readFailing = false;
  private claimCursor = '0-0';
  private unwatchReconnects?: () => void;

  constructor(options: ConsumerGroupRunnerOptions) {
    super();
    this.options = resolveRunnerOptions(options);
    this.stream = this.options.stream;
    this.group = this.options.group;
    this.consumer = this.options.consumer;
    this.dlqKey = dlqKey(this.stream);
    this.logger = this.options.logger.child({ stream: this.stream, group: this.group, consumer: this.consumer });
    this.metrics = createConsumerMetrics(this.options.registry, this.stream, this.group);
    this.laneEntries = new Array<StreamEntry | undefined>(this.options.concurrency).fill(undefined);
    this.laneBusy = new Array<boolean>(this.options.concurrency).fill(false);
    this.processor = new EntryProcessor({
      options: this.options,
      metrics: this.metrics,
      logger: this.logger,
      dlqKey: this.dlqKey,
      onDeadLetter: (notice) => this.emit('dead-letter', notice),
      onError: (error) => this.emitError(error),
    });
  }

  /** Where the runner is in its lifecycle. */
  get state(): ConsumerGroupRunnerState {
    return this.current;
  }

  /** True while running and its last read succeeded (for readiness probes). */
  get reading(): boolean {
    return this.current === 'running' && !this.readFailing;
  }

  /**
   * Creates the group (MKSTREAM; an existing group is fine) and starts reading. Resolves
   * once reading has started; rejects with `ERR_RUNNER_GROUP_CREATE` if the group cannot be
   * created, or `ERR_RUNNER_STATE` after `stop()`. Calling it again while running is a no-op.
   */
  start(): Promise<void> {
    if (this.current === 'stopping' || this.current === 'stopped') {
      return Promise.reject(new ConsumerGroupRunnerError('ERR_RUNNER_STATE', 'a stopped runner cannot start again; create a new one'));
    }
    this.starting ??= this.doStart().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /**
   * Stops reading, lets in-flight handlers finish and ack, then resolves; idempotent. No
   * handler starts after `stop()` is called: entries read but not started stay pending (for
   * this consumer's next start or another consumer's claim). Without `ownsBlockingConnection`
   * it waits for the current XREADGROUP BLOCK to return (at most `blockMs`); with it, it
   * disconnects `blockingRedis` at once. In-flight handlers are always awaited; their acks
   * get `blockMs` + 1 s more (an ack on a dead connection never answers: that entry stays
   * pending and is delivered again, as at-least-once allows).
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /** Removes this consumer from the group (XGROUP DELCONSUMER); resolves with the pending entries it dropped. Only when not running. */
  async deleteConsumer(): Promise<number> {
    this.assertNotRunning('deleteConsumer');
    return Number(await this.options.redis.xgroup('DELCONSUMER', this.stream, this.group, this.consumer));
  }

  /** Deletes the whole group (XGROUP DESTROY), as fan-out consumers do on shutdown; true if it existed. Only when not running. */
  async destroyGroup(): Promise<boolean> {
    this.assertNotRunning('destroyGroup');
    return Number(await this.options.redis.xgroup('DESTROY', this.stream, this.group)) === 1;
  }

  /** Refreshes the lag and pending gauges from XINFO GROUPS now (the runner also does it every `metricsIntervalMs`). */
  async refreshMetrics(): Promise<void> {
    const info = findGroupInfo(await this.options.redis.xinfo('GROUPS', this.stream), this.group);
    if (!info) return;
    this.metrics.pending(info.pending);
    if (info.lag !== null) this.metrics.lag(info.lag);
  }

  private async doStart(): Promise<void> {
    await this.ensureGroup();
    if (this.abort.signal.aborted) return;
    this.current = 'running';
    this.unwatchReconnects = watchReconnects(this.options.blockingRedis, this.onReconnect);
    this.logRegistered();
    this.loops = [this.readLoop(), this.every(this.options.metricsIntervalMs, 'metrics refresh', () => this.refreshMetrics())];
    if (!this.options.noAck) {
      this.loops.push(this.every(this.options.claimIntervalMs, 'claim', () => this.claimPass()));
      this.loops.push(this.every(Math.max(1, Math.floor(this.options.claimIdleMs / 3)), 'keeping queued entries', () => this.keepQueued()));
    }
  }

  private async doStop(): Promise<void> {
    const wasRunning = this.current === 'running';
    this.current = 'stopping';
    this.abort.abort();
    this.unwatchReconnects?.();
    // Entries not started stay pending in Redis, for this consumer's next start or a claim.
    this.queue.length = 0;
    this.queueHead = 0;
    this.lost.clear();
    this.releaseQueueWaiters();
    if (wasRunning) {
      this.logger.info({ inFlight: this.handlersRunning }, 'stopping consumer: no new reads, finishing in-flight handlers');
      if (this.options.ownsBlockingConnection) this.options.blockingRedis.disconnect();
      const grace = this.options.blockMs + STOP_GRACE_MS;
      if (!(await settlesWithin(this.loops, grace))) {
        this.logger.warn('a Redis read did not return in time; what it delivers stays pending for a later claim');
      }
      await this.handlersSettled();
      // Acks and dead-letter copies get a bounded wait: on a dead connection they never answer, and the entries simply stay pending.
      const lanes = [...this.lanes];
      const acked = (async () => {
        await Promise.allSettled(lanes);
        await this.processor.drainAcks();
      })();
      if (!(await settlesWithin([acked], grace))) {
        this.logger.warn('acks did not complete in time; those entries stay pending and are delivered again');
      }
    }
    this.current = 'stopped';
    this.logger.info('consumer stopped');
  }

  private readonly onReconnect = (): void => {
    this.needsPendingRead = true;
    this.logRegistered();
  };

  private logRegistered(): void {
    this.logger.info(`Registered consumer for stream: ${this.stream}`);
  }

  private assertNotRunning(operation: string): void {
    if (this.current === 'running' || this.current === 'stopping' || (this.current === 'idle' && this.starting)) {
      throw new ConsumerGroupRunnerError('ERR_RUNNER_STATE', `${operation} needs a stopped runner; call stop() first`);
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.options.redis.xgroup('CREATE', this.stream, this.group, this.options.startId, 'MKSTREAM');
      this.logger.info({ startId: this.options.startId }, 'created consumer group');
    } catch (error) {
      if (errorMessage(error).startsWith('BUSYGROUP')) return;
      throw new ConsumerGroupRunnerError(
        'ERR_RUNNER_GROUP_CREATE',
        `cannot create consumer group ${this.group} on ${this.stream}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  private get stopRequested(): boolean {
    return this.abort.signal.aborted;
  }

  /** Waits `ms`, or less if the runner stops. */
  private pause(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopRequested) {
      try {
        // The blocking connection can be back before the command connection the handlers and
        // acks use: reading then would only fail handlers and re-deliver entries for nothing.
        await this.commandConnectionReady();
        if (this.stopRequested) break;
        if (this.needsPendingRead && !this.options.noAck) {
          this.needsPendingRead = false;
          await this.readPending();
        } else {
          await this.readNew();
        }
        if (this.readFailing) this.logger.info('reading from stream resumed');
        this.readFailing = false;
        failures = 0;
      } catch (error) {
        if (this.stopRequested) break;
        this.needsPendingRead = true;
        if (isNoGroupError(error) && (await this.recreateGroup())) continue;
        this.metrics.readError();
        if (!this.readFailing) this.logger.warn({ err: error }, 'reading from stream failed; retrying with backoff');
        this.readFailing = true;
        this.emitError(error);
        await this.pause(backoffDelay(failures++, { baseMs: BACKOFF_START_MS, maxMs: this.options.maxBackoffMs, jitter: 'equal' }));
      }
    }
  }

  /** Resolves once the command connection is ready (at once when it is), or the runner stops. */
  private async commandConnectionReady(): Promise<void> {
    const status = (): string => this.options.redis.status;
    if (status() === 'ready') return;
    if (!this.readFailing) this.logger.info({ status: status() }, 'waiting for the command connection before reading');
    while (!this.stopRequested && status() !== 'ready') await this.pause(100);
  }

  private async recreateGroup(): Promise<boolean> {
    this.logger.warn('consumer group is gone (NOGROUP); creating it again');
    try {
      await this.ensureGroup();
      this.logRegistered();
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, 'recreating the consumer group failed');
      return false;
    }
  }

  /**
   * Reads the next batch as soon as fewer than `count` entries wait for a lane, so Redis
   * prepares it while the lanes run the last one; its entries join the queue when it
   * arrives. At most about `count` entries thus wait in memory (kept from looking idle by
   * `keepQueued`), besides those in the lanes.
   */
  private async readNew(): Promise<void> {
    const { group, consumer, count, blockMs, noAck } = this.options;
    await this.untilQueuedAtMost(count - 1);
    if (this.stopRequested) return;
    const reply = await this.bounded(blockMs, this.options.blockingRedis.call(
      'XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs,
      ...(noAck ? ['NOACK'] : []), 'STREAMS', this.stream, '>',
    ));
    this.enqueue(parseReadReply(reply, this.stream));
  }

  /** Re-reads this consumer's own pending entries (ID 0 onwards), with their delivery counts. */
  private async readPending(): Promise<void> {
    let cursor = '0';
    while (!this.stopRequested) {
      const reply = await this.bounded(0, this.options.blockingRedis.call(
        'XREADGROUP', 'GROUP', this.group, this.consumer, 'COUNT', this.options.count, 'STREAMS', this.stream, cursor,
      ));
      const entries = parseReadReply(reply, this.stream, 0);
      if (entries.length === 0) return;
      await this.deliverWithCounts(entries);
      cursor = entries[entries.length - 1].id;
    }
  }

  /**
   * `read`, or a rejection once it outlasts `blockMs` + `readTimeoutMs`. The read itself stays
   * queued on its connection: should Redis answer later, the entries it delivered are pending
   * for this consumer, and the failed read makes the next one re-read the pending list.
   */
  private async bounded(blockMs: number, read: Promise<unknown>): Promise<unknown> {
    const limitMs = blockMs + this.options.readTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConsumerGroupRunnerError('ERR_RUNNER_READ_TIMEOUT', `XREADGROUP got no reply within ${limitMs} ms: Redis does not answer`)),
        limitMs,
      );
    });
    read.catch(() => undefined);
    try {
      return await Promise.race([read, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One XAUTOCLAIM pass: up to `count` entries idle past `claimIdleMs`, continuing from the last cursor. */
  private async claimPass(): Promise<void> {
    let claimed = 0;
    let cursor = this.claimCursor;
    do {
      const reply = await this.options.redis.xautoclaim(
        this.stream, this.group, this.consumer, this.options.claimIdleMs, cursor, 'COUNT', this.options.count,
      );
      const page = parseAutoClaimReply(reply, this.stream);
      cursor = page.cursor;
      claimed += page.entries.length;
      if (page.entries.length > 0) this.logger.debug({ claimed: page.entries.length }, 'claimed idle entries');
      await this.deliverWithCounts(page.entries);
    } while (cursor !== '0-0' && claimed < this.options.count && !this.stopRequested);
    this.claimCursor = cursor;
  }

  /** Delivers entries this consumer now owns, with delivery counts from XPENDING; skips those it holds already and any another consumer took meanwhile. */
  private async deliverWithCounts(entries: StreamEntry[]): Promise<void> {
    const held = this.heldIds();
    const fresh = entries.filter((entry) => !held.has(entry.id) && !this.processor.holdsAck(entry.id));
    if (fresh.length === 0) return;
    const pipeline = this.options.redis.pipeline();
    for (const { id } of fresh) pipeline.xpending(this.stream, this.group, id, id, 1, this.consumer);
    const replies = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    for (const [error, reply] of replies) {
      if (error) throw error;
      for (const row of parsePendingReply(reply)) counts.set(row.id, row.deliveries);
    }
    const owned = fresh.filter((entry) => counts.has(entry.id));
    for (const entry of owned) entry.deliveries = counts.get(entry.id) as number;
    await this.deliver(owned);
  }

  /** Ids of the entries queued (and not lost) or in a lane: this consumer must not take them again. */
  private heldIds(): Set<string> {
    const held = new Set<string>();
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const { id } = this.queue[i];
      if (!this.lost.has(id)) held.add(id);
    }
    for (const entry of this.laneEntries) if (entry) held.add(entry.id);
    return held;
  }

  /**
   * Queues the entries and has lanes start them, in order, as lanes free up. Resolves once
   * every queued entry has started (or been dropped), or the runner stops: the entries not
   * started then stay pending in Redis.
   */
  private async deliver(entries: readonly StreamEntry[]): Promise<void> {
    this.enqueue(entries);
    await this.untilQueuedAtMost(0);
  }

  /** Queues the entries (unless stopping) and starts lanes for them. */
  private enqueue(entries: readonly StreamEntry[]): void {
    if (entries.length === 0 || this.stopRequested) return;
    for (const entry of entries) this.queue.push(entry);
    this.startLanes();
  }

  /** Resolves once at most `atMost` queued entries wait for a lane, or the runner stops (at once when so already). */
  private untilQueuedAtMost(atMost: number): Promise<void> | undefined {
    if (this.stopRequested || this.queue.length - this.queueHead <= atMost) return undefined;
    return new Promise<void>((resolve) => this.queueWaiters.push({ atMost, resolve }));
  }

  /** Lets go of every waiter whose bound the queue now meets (all of them once stopping). */
  private releaseQueueWaiters(): void {
    const waiting = this.queue.length - this.queueHead;
    for (let i = this.queueWaiters.length - 1; i >= 0; i--) {
      const waiter = this.queueWaiters[i];
      if (!this.stopRequested && waiting > waiter.atMost) continue;
      this.queueWaiters.splice(i, 1);
      waiter.resolve();
    }
  }

  /** Starts lanes for the queued entries, up to `concurrency` lanes in all. */
  private startLanes(): void {
    let wanted = Math.min(this.options.concurrency - this.activeLanes, this.queue.length - this.queueHead);
    for (let slot = 0; wanted > 0 && slot < this.laneBusy.length; slot++) {
      if (this.laneBusy[slot]) continue;
      this.laneBusy[slot] = true;
      this.activeLanes += 1;
      wanted -= 1;
      const lane = this.runLane(slot);
      this.lanes.add(lane);
      void lane.then(() => this.lanes.delete(lane));
    }
  }

  /** The next queued entry, or undefined once the queue is empty or the runner stops. */
  private take(): StreamEntry | undefined {
    while (!this.stopRequested && this.queueHead < this.queue.length) {
      const entry = this.queue[this.queueHead++];
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      if (this.queueWaiters.length > 0) this.releaseQueueWaiters();
      // Another consumer claimed it while it waited here: it is that consumer's to run now.
      if (this.lost.size > 0 && this.lost.delete(entry.id)) continue;
      return entry;
    }
    return undefined;
  }

  /**
   * One lane: takes queued entries one at a time, runs each one's handler and settles it (ack
   * with the turn's XACK, retry, dead-letter), until the queue is empty.
   */
  private async runLane(slot: number): Promise<void> {
    try {
      for (let entry = this.take(); entry !== undefined; entry = this.take()) {
        this.laneEntries[slot] = entry;
        const prepared = this.processor.prepare(entry);
        if (prepared instanceof Promise) {
          await prepared;
        } else {
          this.handlersRunning += 1;
          const startedAt = performance.now();
          let failure: unknown = NO_FAILURE;
          try {
            await this.options.handler(prepared, entry);
          } catch (error) {
            failure = error;
          }
          this.metrics.handlerDuration((performance.now() - startedAt) / 1000);
          this.handlersRunning -= 1;
          if (this.handlersRunning === 0) this.handlersIdle?.();
          if (failure === NO_FAILURE) this.processor.succeeded(entry);
          else await this.processor.failed(entry, failure);
        }
        this.laneEntries[slot] = undefined;
      }
    } finally {
      this.laneEntries[slot] = undefined;
      this.laneBusy[slot] = false;
      this.activeLanes -= 1;
    }
  }

  /** Resolves once no handler runs (none starts after `stop()`). */
  private handlersSettled(): Promise<void> {
    if (this.handlersRunning === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.handlersIdle = () => {
        this.handlersIdle = undefined;
        resolve();
      };
    });
  }

  /**
   * Resets the idle time of the entries waiting for a lane, so XAUTOCLAIM (this consumer's or
   * another's) leaves them alone; marks those another consumer has claimed already as lost.
   */
  private async keepQueued(): Promise<void> {
    const ids = [...this.heldQueuedIds()];
    for (let start = 0; start < ids.length; start += KEEP_QUEUED_BATCH) {
      const chunk = ids.slice(start, start + KEEP_QUEUED_BATCH);
      const kept = new Set((await KEEP_QUEUED.run(this.options.redis, [this.stream], [this.group, this.consumer, ...chunk])) as string[]);
      // Only those still waiting: an entry that started meanwhile is this consumer's run already.
      const waiting = this.heldQueuedIds();
      const lost = chunk.filter((id) => !kept.has(id) && waiting.has(id));
      // Only the queue forgets them; a lane drops each when its turn comes.
      for (const id of lost) this.lost.add(id);
      if (lost.length > 0) this.logger.debug({ lost: lost.length }, 'queued entries taken over by another consumer');
    }
  }

  /** Ids of the queued entries not known to be lost. */
  private heldQueuedIds(): Set<string> {
    const ids = new Set<string>();
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const { id } = this.queue[i];
      if (!this.lost.has(id)) ids.add(id);
    }
    return ids;
  }

  /** Runs `pass` every `intervalMs` until stopped, at the same pace after a failure (each one counted as a read error). */
  private every(intervalMs: number, what: string, pass: () => Promise<void>): Promise<void> {
    return runPeriodicTask({
      name: what,
      intervalMs,
      immediate: false,
      backoff: { baseMs: intervalMs, maxMs: intervalMs },
      signal: this.abort.signal,
      logger: this.logger,
      task: pass,
      onFailure: (error) => {
        this.metrics.readError();
        this.emitError(error);
      },
    });
  }

  private emitError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(errorMessage(error)));
  }
}
