import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { backoffDelay, compareStreamIds, decodeEntry, parseFlatMap, silentLogger, STREAMS, streamIdMs, toNumberOrNull, type CloudEvent, type Logger, type RedisConnection, type StreamName } from '@rebal/redis-client';
import { FEED_ALERT_TYPE, type AlertRecord, type AlertStatus } from '../alerts';
import { AlertEngine, encodeHeld, feedRouteKey, Partition, partitionOf, routeOf, routeOfLabels, routingSubject, type EngineWork, type FeedState } from '../engine';
import { GroupProgress, PartitionLeases, type PartitionCheckpoint, type StreamMark } from '../partitions';
import { ruleProducesLabels } from '../rules';
import { AlertConflictError, AlertNotFoundError, MAX_PAGE_SIZE, type AlertListQuery, type AlertStore, type CommittedChange } from '../store';
import type { DeadLetterWriter } from './dead-letter-writer';
import { EvaluationConflictError } from './evaluation-conflict-error';
import { createProcessingMetrics, type ProcessingMetrics } from './processing-metrics';
import type { RulesProvider } from './rules-provider';
import { fieldOf, StreamReader, type StreamEntry } from './stream-reader';

/** Event types the rules read; any other type is skipped (after validation). */
export const EVALUATED_EVENT_TYPES: readonly string[] = ['price_update', 'portfolio_snapshot', 'risk_metric', 'system_status'];
/** Default of {@link AlertProcessorOptions.maxClockSkewMs}: 5 minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 300_000;
/** Statuses of an open alert. */
const OPEN: readonly AlertStatus[] = ['firing', 'acknowledged', 'snoozed'];
/** Entries read per XREAD while a takeover catches up. */
const CATCH_UP_COUNT = 1_000;
/** Pauses after failed reads and failed processing rounds: 200 ms after the first failure, doubling to 5 s. */
const RETRY_BACKOFF = { baseMs: 100, maxMs: 5_000 } as const;

/** An input stream: its name (for the event types it may carry) and its key. */
export interface InputStream {
  readonly name: StreamName;
  readonly key: string;
}

/** Options of {@link AlertProcessor}. */
export interface AlertProcessorOptions {
  /** Where alerts, rule states and partitions are kept. */
  store: AlertStore;
  /** The rules, followed by their change log. */
  rules: RulesProvider;
  /** The command connection: commits, checkpoints, catch-up reads. */
  redis: RedisConnection;
  /** The input streams. */
  streams: readonly InputStream[];
  /** The consumer group that shows the tier's progress (`alert-service`). */
  group: string;
  /** This replica's instance id: its leases' owner. */
  instanceId: string;
  /** Number of partitions (`ALERT_PARTITIONS`). */
  partitions: number;
  /** Lease time to live, ms (`CONSUMER_CLAIM_IDLE`): a replica that dies loses its partitions after it. */
  leaseTtlMs: number;
  /** Entries per XREAD (default 500: the batch is the unit of reading, of the loop's work and of its metrics). */
  batchSize?: number;
  /** XREAD BLOCK of the live readers, ms (default 2000). */
  blockMs?: number;
  /** Time between ticker passes (timers, rule changes, snooze ends), ms (default 1000). */
  tickIntervalMs?: number;
  /** Time between retention purges, ms (default 60000). */
  purgeIntervalMs?: number;
  /**
   * How far ahead of the clock an event's `time` may be, in ms (default 300000). An event dated
   * further ahead is refused (dead-lettered), not evaluated: its rules would ignore every later
   * event as older until that date.
   */
  maxClockSkewMs?: number;
  /** Commit attempts when an alert kept changing under a commit (default 10). */
  maxAttempts?: number;
  /** Current time in ms (default `Date.now`): frames, the ticker, the skew check. Events are evaluated at their own `time`. */
  clock?: () => number;
  /** Where refused and invalid entries are copied (default: none, they are only counted and logged). */
  deadLetters?: DeadLetterWriter;
  /** Called after every commit with its alert changes; errors are logged, never thrown. */
  onChanges?: (changes: readonly CommittedChange[]) => void | Promise<void>;
  /** prom-client registry of the processor metrics (default: the global registry). */
  registry?: Registry;
  /** Logger (default: silent). */
  logger?: Logger;
}

/** What handling one entry did. */
export interface EntryOutcome {
  readonly stream: string;
  readonly id: string;
  /**
   * `committed`: evaluated (and what changed committed); `duplicate`: applied before (a takeover
   * re-read it); `skipped`: nothing to evaluate; `refused`: dated too far ahead; `invalid`: not
   * a valid event of its stream, or its subject is not what its payload names; `other`: another
   * replica's partition.
   */
  readonly status: 'committed' | 'duplicate' | 'skipped' | 'refused' | 'invalid' | 'other';
  readonly eventId?: string;
  readonly changes: readonly CommittedChange[];
  /** Why it was refused or invalid. */
  readonly reason?: string;
}

/** A partition's lease moved on while this replica committed for it. */
class PartitionLostError extends Error {
  constructor(readonly partition: number) {
    super(`partition ${partition} is leased by another replica now`);
  }
}

/**
 * The alert service's rule evaluation, one replica of it. The rule engine's state is split into
 * `partitions` by a stable hash of each event's subject (symbol, portfolio, service); a replica
 * leases partitions (`PartitionLeases`: one script per round renews, checkpoints, hands over
 * and takes its fair share), reads every input stream with XREAD from its own position, and
 * evaluates only the events of the partitions it holds, in memory (`AlertEngine`): an event of
 * another partition costs a look at its `subject` field. Redis is written when a rule changes
 * phase (one script: the alert changes with their `alerts` events and the states, fenced by the
 * partition's lease) and at each round's checkpoint (per partition: the high-water mark per
 * stream, the states that changed, the subjects' times, the prices recorded). A takeover
 * reads a partition's checkpoint and re-reads the streams from its high-water mark, so no event
 * is applied twice (a state remembers the last entry it holds) and none is skipped.
 *
 * `start()` runs it: a reader per stream (its blocking connection), one loop that processes
 * batches in order and runs the rounds (every `min(1 s, leaseTtl / 3)`, and as soon as a
 * backlog is read through) and the ticker. Tests drive the same steps by hand: `syncOnce()`,
 * `pollOnce()`, `tickOnce()`.
 */
export class AlertProcessor {
  /** The engine (held states, rules, partitions). */
  readonly engine = new AlertEngine();
  private readonly options: AlertProcessorOptions;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly metrics: ProcessingMetrics;
  private readonly leases: PartitionLeases;
  private readonly progress: GroupProgress;
  private readonly batchSize: number;
  private readonly maxClockSkewMs: number;
  private readonly maxAttempts: number;
  /** Per stream key: every entry up to this id was handled (this replica's applied position). */
  private readonly cursor = new Map<string, string>();
  /** Per stream key: how many entries the stream had added up to `cursor` (`null`: unknown), so the group's lag stays known. */
  private readonly cursorCount = new Map<string, number | null>();
  /** Per stream key: the group's position when this replica started: where a partition that never had an owner starts. */
  private readonly groupStart = new Map<string, StreamMark>();
  /** Per partition: streams whose entries at or before its high-water mark are still to be skipped. */
  private readonly floorAhead = new Map<number, Set<string>>();
  /** Per partition: entries up to this id may meet states that already hold them (a takeover's re-read). */
  private readonly replayUntil = new Map<number, string>();
  private prepared = false;
  private synced = false;
  private stopping = false;
  private running?: Promise<void>;
  private readonly queue: Array<{ stream: string; entries: StreamEntry[] }> = [];
  private wake?: () => void;
  /** Readers waiting for the queue to take another batch of their stream. */
  private readonly roomWaiters: Array<() => void> = [];
  private readonly readersOk = new Set<string>();
  private syncSoon = false;
  private lastPurge = -Infinity;
  /** The command connection came back after a loss: Redis may have lost its last writes (a restart with AOF everysec). */
  private reconnected = false;
  private readonly onReady: () => void;

  /** @param options see {@link AlertProcessorOptions} */
  constructor(options: AlertProcessorOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger();
    this.metrics = createProcessingMetrics(options.registry);
    this.batchSize = options.batchSize ?? 500;
    this.maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    this.maxAttempts = options.maxAttempts ?? 10;
    for (const [name, value] of [['batchSize', this.batchSize], ['maxAttempts', this.maxAttempts], ['partitions', options.partitions], ['leaseTtlMs', options.leaseTtlMs]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (!Number.isFinite(this.maxClockSkewMs) || this.maxClockSkewMs < 0) throw new RangeError(`maxClockSkewMs must be a non-negative number, got ${this.maxClockSkewMs}`);
    const streams = options.streams.map((stream) => stream.key);
    this.leases = new PartitionLeases({
      redis: options.redis,
      keys: options.store.keys,
      instanceId: options.instanceId,
      partitions: options.partitions,
      ttlMs: options.leaseTtlMs,
      streams,
      from: partitionOf(options.instanceId, options.partitions),
    });
    this.progress = new GroupProgress(options.redis, options.group);
    let seenReady = options.redis.status === 'ready';
    this.onReady = () => {
      if (seenReady) this.reconnected = true;
      seenReady = true;
    };
  }

  /** The partitions this replica holds now. */
  get owned(): number[] {
    return [...this.engine.partitions.keys()].sort((a, b) => a - b);
  }

  /** True while running, its readers read, and its last round succeeded (readiness). */
  get reading(): boolean {
    return this.running !== undefined && !this.stopping && this.synced && this.readersOk.size === this.options.streams.length;
  }

  /** Creates the group where missing, takes its positions as this replica's start, loads every rule. Idempotent. */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    for (const { key } of this.options.streams) {
      const position = await this.progress.position(key);
      this.cursor.set(key, position.id);
      this.cursorCount.set(key, position.entriesRead);
      this.groupStart.set(key, position);
    }
    for (const rule of await this.options.rules.load()) this.engine.ruleChanged(rule.id, rule);
    this.prepared = true;
  }

  /**
   * One round (see `PartitionLeases`): checkpoints and renews what this replica holds, hands
   * over what exceeds its fair share, takes free partitions (each loaded from its checkpoint and
   * caught up on the streams from its high-water mark), and, holding partition 0, moves the
   * group's position to where every partition is. `leave`: checkpoint, release everything, and
   * end the membership (shutdown).
   */
  async syncOnce(leave = false): Promise<void> {
    await this.prepare();
    await this.learnCounts();
    const held = [...this.engine.partitions.values()];
    const release = leave ? held.map((partition) => partition.index) : [];
    const wallMs = Date.now();
    const checkpoints = held.map((partition) => this.checkpointOf(partition, wallMs));
    let result;
    try {
      result = await this.leases.sync({ held: held.map(({ index, epoch }) => ({ partition: index, epoch })), checkpoints, release, acquire: !leave, leave });
    } catch (error) {
      // What was taken for the checkpoint (prices) is not in Redis: start again from what is.
      this.letGoOfEverything('a round failed');
      throw error;
    }
    for (const checkpoint of checkpoints) {
      const partition = this.engine.partitions.get(checkpoint.partition);
      if (partition && !result.lost.includes(checkpoint.partition)) this.engine.checkpointed(partition, checkpoint);
    }
    for (const index of result.lost) this.drop(index, 'lost');
    for (const index of [...release, ...result.handed]) if (!result.lost.includes(index)) this.drop(index, 'released');
    if (result.acquired.length > 0) await this.takeOver(result.acquired);
    for (const [stream, id] of Object.entries(result.low)) await this.progress.advance(stream, id);
    this.synced = true;
    this.metrics.owned(this.engine.partitions.size);
    this.metrics.held(this.engine.heldStates);
    this.metrics.staleFeeds(this.engine.staleFeeds);
  }

  /**
   * For a stream whose count of entries up to this replica's position is not known (the group
   * was made without it), learns it when the position is the stream's newest entry: then it is
   * the stream's entries-added. One XINFO STREAM per such stream and round.
   */
  private async learnCounts(): Promise<void> {
    for (const { key } of this.options.streams) {
      if (this.cursorCount.get(key) !== null) continue;
      const info = parseFlatMap(await this.options.redis.xinfo('STREAM', key));
      if (String(info['last-generated-id']) === this.cursor.get(key)) this.cursorCount.set(key, toNumberOrNull(info['entries-added']));
    }
  }

  /** Reads every input stream up to its end (no waiting) and handles what it finds; returns each entry's outcome. */
  async pollOnce(): Promise<EntryOutcome[]> {
    await this.prepare();
    const outcomes: EntryOutcome[] = [];
    for (const { key } of this.options.streams) {
      const reader = new StreamReader(this.options.redis, key, this.batchSize, this.cursor.get(key) as string);
      for (let entries = await reader.read(); entries.length > 0; entries = await reader.read()) {
        outcomes.push(...(await this.handleBatch(key, entries)));
      }
    }
    return outcomes;
  }

  /**
   * Handles a batch of entries of one stream, in order, after following the rule changes, and
   * moves this replica's position past them. Throws when Redis failed (nothing of the batch may count as handled: the caller lets
   * go of its partitions and retries the batch).
   */
  async handleBatch(stream: string, entries: readonly StreamEntry[], collect = true): Promise<EntryOutcome[]> {
    const started = performance.now();
    // A rule put through this replica's API applies from the next batch on (the API invalidates
    // the rules cache); one put on another replica within RULES_REFRESH_INTERVAL.
    await this.followRules();
    const cursor = this.cursor.get(stream) as string;
    const outcomes: EntryOutcome[] = [];
    let fresh = entries;
    // Readers hand on entries after the position; one at or before it was handled already.
    if (entries[0] && compareStreamIds(entries[0][0], cursor) <= 0) {
      fresh = entries.filter(([id]) => compareStreamIds(id, cursor) > 0);
      for (const [id, fields] of entries) {
        if (compareStreamIds(id, cursor) > 0) continue;
        if (collect) outcomes.push({ stream, id, status: 'duplicate', changes: [] });
        this.metrics.event(fieldOf(fields, 'type') ?? 'unknown', 'duplicate');
      }
    }
    outcomes.push(...(await this.handleEntries(stream, fresh, undefined, collect)));
    const last = fresh[fresh.length - 1];
    if (last) {
      this.cursor.set(stream, last[0]);
      const count = this.cursorCount.get(stream);
      // XREAD hands on every entry after the position: the count follows (an XDEL between two reads would make it undercount).
      this.cursorCount.set(stream, count === null || count === undefined ? null : count + fresh.length);
    }
    this.metrics.duration((performance.now() - started) / 1000);
    return outcomes;
  }

  /**
   * One ticker pass at wall-clock `nowMs`: rule changes followed (index, timers, alerts the new
   * labels no longer produce), due keep-firing expiries and cooldown ends of the held states
   * (each at its own due time, in its frame), and ended snoozes.
   */
  async tickOnce(nowMs = this.clock()): Promise<CommittedChange[]> {
    await this.prepare();
    const changes: CommittedChange[] = [];
    changes.push(...(await this.followRules()));
    for (const { partition, work } of this.engine.tickDue(nowMs)) {
      try {
        changes.push(...(await this.commit(partition, work)));
      } catch (error) {
        if (!(error instanceof PartitionLostError)) throw error;
        this.drop(error.partition, 'lost');
      }
    }
    const unsnoozed = await this.options.store.expireSnoozes(nowMs);
    await this.notify(unsnoozed);
    changes.push(...unsnoozed);
    return changes;
  }

  /**
   * Runs the replica: a round (taking its share), a reader per input stream on its blocking
   * connection, and the loop that processes batches, rounds and ticks until `stop()`.
   */
  async start(readers: ReadonlyMap<string, RedisConnection>, blockMs = this.options.blockMs ?? 2_000): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    await this.syncOnce();
    this.options.redis.off('ready', this.onReady);
    this.options.redis.on('ready', this.onReady);
    if (this.running) return;
    for (const { key } of this.options.streams) {
      const connection = readers.get(key);
      if (!connection) throw new Error(`no reader connection for ${key}`);
      void this.readLoop(new StreamReader(connection, key, this.batchSize, this.cursor.get(key) as string), connection, blockMs);
    }
    this.running = this.mainLoop();
  }

  /** Stops reading, finishes the batch in hand, checkpoints and hands every partition over, ends the membership. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    for (const waiter of this.roomWaiters.splice(0)) waiter();
    await this.running?.catch(() => undefined);
    this.running = undefined;
    this.options.redis.off('ready', this.onReady);
    if (this.engine.partitions.size > 0 || this.synced) {
      try {
        await this.syncOnce(true);
      } catch (error) {
        this.logger.warn({ err: error }, 'the last round failed; the partitions move when their leases expire');
      }
    }
  }

  private async readLoop(reader: StreamReader, connection: RedisConnection, blockMs: number): Promise<void> {
    let failures = 0;
    const registered = () => this.logger.info(`Registered consumer for stream: ${reader.stream}`);
    registered();
    this.readersOk.add(reader.stream);
    connection.on('ready', registered);
    try {
      while (!this.stopping) {
        // Read one batch ahead per stream, no more: memory stays bounded by what is processed.
        if (this.queue.filter((batch) => batch.stream === reader.stream).length >= 2) {
          await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
          continue;
        }
        try {
          const entries = await reader.read(blockMs);
          this.readersOk.add(reader.stream);
          failures = 0;
          if (entries.length > 0) {
            this.queue.push({ stream: reader.stream, entries });
            this.wake?.();
          }
        } catch (error) {
          if (this.stopping) break;
          this.readersOk.delete(reader.stream);
          if (failures === 0) this.logger.warn({ err: error, stream: reader.stream }, 'reading from stream failed; retrying with backoff');
          failures += 1;
          await delay(backoffDelay(failures, RETRY_BACKOFF));
        }
      }
    } finally {
      connection.off('ready', registered);
      this.readersOk.delete(reader.stream);
    }
  }

  private async mainLoop(): Promise<void> {
    const syncIntervalMs = Math.max(50, Math.min(1_000, Math.floor(this.options.leaseTtlMs / 3)));
    const tickIntervalMs = this.options.tickIntervalMs ?? 1_000;
    const purgeIntervalMs = this.options.purgeIntervalMs ?? 60_000;
    let nextSync = Date.now() + syncIntervalMs;
    let nextTick = Date.now();
    let retry: { stream: string; entries: StreamEntry[] } | undefined;
    let failures = 0;
    let fullBatches = false;
    while (!this.stopping) {
      try {
        if (this.reconnected) {
          // What is held in memory may be ahead of what Redis kept: take everything back from Redis.
          this.reconnected = false;
          this.letGoOfEverything('Redis reconnected (it may have lost its last writes)');
        }
        if (Date.now() >= nextSync || this.syncSoon || !this.synced) {
          this.syncSoon = false;
          await this.syncOnce();
          nextSync = Date.now() + syncIntervalMs;
        }
        const batch = retry ?? this.queue.shift();
        retry = undefined;
        for (const waiter of this.roomWaiters.splice(0)) waiter();
        if (batch) {
          retry = batch;
          await this.handleBatch(batch.stream, batch.entries, false);
          retry = undefined;
          // A backlog read through: checkpoint soon, so the group's position shows it.
          if (batch.entries.length < this.batchSize && fullBatches) this.syncSoon = true;
          fullBatches = batch.entries.length >= this.batchSize;
        }
        if (Date.now() >= nextTick) {
          nextTick = Date.now() + tickIntervalMs;
          await this.tickOnce();
          const nowMs = this.clock();
          if (nowMs - this.lastPurge >= purgeIntervalMs) {
            this.lastPurge = nowMs;
            await this.options.store.purgeResolved(nowMs);
          }
          await this.options.store.refreshMetrics();
        }
        if (failures > 0) this.logger.info({ failures }, 'alert processing recovered');
        failures = 0;
        if (!batch && !this.syncSoon) await this.idle(Math.min(nextSync, nextTick) - Date.now());
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.metrics.tickerFailure();
        if (failures === 1) this.logger.warn({ err: error }, 'alert processing failed; letting go of the partitions and retrying');
        this.letGoOfEverything('processing failed');
        await delay(backoffDelay(failures, RETRY_BACKOFF));
      }
    }
  }

  /** Waits up to `ms`, or until a batch arrives or `stop()` is called. */
  private idle(ms: number): Promise<void> {
    if (ms <= 0 || this.queue.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Handles entries of one stream in order (`only`: for these partitions alone, a takeover's
   * catch-up). With `collect`, returns each entry's outcome (tests and the catch-up's callers
   * read them; the live loop does not, so the quiet path allocates nothing per entry).
   */
  private async handleEntries(stream: string, entries: readonly StreamEntry[], only?: ReadonlySet<number>, collect = true): Promise<EntryOutcome[]> {
    const outcomes: EntryOutcome[] = [];
    const counts = new Map<string, Record<string, number>>();
    const count = (type: string, status: string) => {
      let byStatus = counts.get(type);
      if (!byStatus) counts.set(type, (byStatus = {}));
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    };
    const streamName = this.options.streams.find((candidate) => candidate.key === stream)?.name as StreamName;
    const types = STREAMS[streamName].types;
    const partitions = this.options.partitions;
    try {
      for (const [id, fields] of entries) {
        const field = fieldOf(fields, 'subject');
        // A symbol's feed status goes with the symbol's partition (engine/event-routing.ts).
        const subject = field === undefined ? undefined : routingSubject(field, () => fieldOf(fields, 'type'));
        let index = subject === undefined ? undefined : partitionOf(subject, partitions);
        // Another replica's partition: only its subject field was looked at.
        if (index !== undefined && !this.holds(index, only)) {
          if (collect) outcomes.push({ stream, id, status: 'other', changes: [] });
          continue;
        }
        const decoded = decodeEntry(fields, { types });
        if (!decoded.ok) {
          index ??= partitionOf('', partitions);
          if (!this.holds(index, only) || this.isDuplicate(index, stream, id)) continue;
          const outcome = await this.deadLetter(fields, stream, id, decoded.reason);
          if (collect) outcomes.push(outcome);
          count(fieldOf(fields, 'type') ?? 'unknown', 'invalid');
          continue;
        }
        const event = decoded.event as CloudEvent;
        const route = routeOf(event.type, event.data, event.subject);
        if (index === undefined) {
          index = partitionOf(route?.key ?? '', partitions);
          if (!this.holds(index, only)) {
            if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'other', changes: [] });
            continue;
          }
        }
        if (this.isDuplicate(index, stream, id)) {
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'duplicate', changes: [] });
          count(event.type, 'duplicate');
          continue;
        }
        const atMs = Date.parse(event.time);
        if (!route || !Number.isFinite(atMs)) {
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'skipped', changes: [] });
          count(event.type, 'skipped');
          continue;
        }
        if (subject !== undefined && route.key !== subject) {
          const reason = `subject "${subject}" is not what the payload names ("${route.key}"): events are routed by subject, so one whose payload names another subject is not evaluated`;
          const outcome = await this.deadLetter(fields, stream, id, reason, event);
          if (collect) outcomes.push(outcome);
          count(event.type, 'invalid');
          continue;
        }
        const nowMs = this.clock();
        const aheadMs = atMs - nowMs;
        if (aheadMs > this.maxClockSkewMs) {
          const reason = `event time ${event.time} is ${aheadMs} ms ahead of the clock, more than the ${this.maxClockSkewMs} ms allowed (ALERT_MAX_CLOCK_SKEW): not evaluated`;
          this.logger.warn({ eventId: event.id, type: event.type, time: event.time, aheadMs, maxClockSkewMs: this.maxClockSkewMs }, 'refused an event dated ahead of the clock');
          await this.options.deadLetters?.write(event, { id, stream, deliveries: 1 }, reason);
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'refused', changes: [], reason });
          count(event.type, 'refused');
          continue;
        }
        const partition = this.engine.partitions.get(index) as Partition;
        const replay = this.replayUntil.size > 0 && this.inReplay(index, id);
        const work = this.engine.evaluate(partition, { stream, entryId: id, event, route, atMs, offsetMs: Math.max(0, nowMs - atMs), replay });
        if (!work || (work.transitions.length === 0 && work.writes.length === 0)) {
          for (const [kind, outcome] of work?.outcomes ?? []) this.metrics.evaluated(kind, outcome);
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'skipped', changes: [] });
          count(event.type, 'skipped');
          continue;
        }
        for (const [kind, outcome] of work.outcomes) this.metrics.evaluated(kind, outcome);
        try {
          const changes = await this.commit(partition, work);
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'committed', changes });
          count(event.type, 'committed');
        } catch (error) {
          if (!(error instanceof PartitionLostError)) {
            count(event.type, 'failed');
            throw error;
          }
          this.drop(error.partition, 'lost');
          if (collect) outcomes.push({ stream, id, eventId: event.id, status: 'other', changes: [] });
        }
      }
    } finally {
      for (const [type, byStatus] of counts) for (const [status, value] of Object.entries(byStatus)) this.metrics.event(type, status, value);
    }
    return outcomes;
  }

  /** Whether this replica holds partition `index` (and, in a takeover's catch-up, it is one being taken). */
  private holds(index: number, only?: ReadonlySet<number>): boolean {
    return this.engine.partitions.has(index) && (only === undefined || only.has(index));
  }

  /** An entry at or before the partition's high-water mark: its previous owner applied it. */
  private isDuplicate(index: number, stream: string, id: string): boolean {
    const ahead = this.floorAhead.get(index);
    if (!ahead?.has(stream)) return false;
    const floor = this.engine.partitions.get(index)?.floor.get(stream);
    if (floor !== undefined && compareStreamIds(id, floor) <= 0) return true;
    ahead.delete(stream);
    return false;
  }

  /** Whether states of the partition may already hold entry `id` (loaded at a takeover with a later last entry). */
  private inReplay(index: number, id: string): boolean {
    const until = this.replayUntil.get(index);
    if (until === undefined) return false;
    if (compareStreamIds(id, until) <= 0) return true;
    this.replayUntil.delete(index);
    return false;
  }

  private async deadLetter(fields: readonly string[], stream: string, id: string, reason: string, event?: CloudEvent): Promise<EntryOutcome> {
    if (this.options.deadLetters) await this.options.deadLetters.writeFields(fields, { id, stream, deliveries: 1 }, reason);
    else this.logger.warn({ stream, id, reason }, 'refused an invalid entry');
    return { stream, id, ...(event ? { eventId: event.id } : {}), status: 'invalid', changes: [], reason };
  }

  /** Commits one event's (or timer's) work, fenced by the partition's lease; retries alert conflicts. */
  private async commit(partition: Partition, work: EngineWork): Promise<CommittedChange[]> {
    if (work.transitions.length === 0 && work.writes.length === 0 && !work.feeds) return [];
    const states = work.writes.map((held) => ({ partition: partition.index, field: held.key, value: encodeHeld(held, held.version + 1) }));
    const fence = { partition: partition.index, lease: `${this.options.instanceId}|${partition.epoch}` };
    const feeds = work.feeds?.map((state) => ({ feed: state.feed, value: JSON.stringify(state) }));
    const disable = work.spent?.map((rule) => ({ ruleId: rule.id, reason: 'trigger_once' as const, atMs: work.transitions.find((entry) => entry.transition.ruleId === rule.id)?.transition.atMs ?? this.clock() }));
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
        const result = await this.options.store.applyEvaluation({ fence, states, transitions: work.transitions, ...(disable ? { disable } : {}), ...(feeds ? { feeds } : {}) });
        if (result.status === 'committed') {
          this.engine.committed(work.writes);
          for (const { ruleId } of disable ?? []) this.logger.info({ ruleId }, 'a rule with trigger once fired and disabled itself');
          for (const state of work.feeds ?? []) this.logger.info({ feed: state.feed, status: state.status }, state.status === 'stale' ? 'feed stale: its price rules have no data' : 'feed fresh again');
          if (work.feeds) this.metrics.staleFeeds(this.engine.staleFeeds);
          await this.notify(result.changes);
          return result.changes;
        }
        if (result.status === 'fenced') throw new PartitionLostError(partition.index);
        this.metrics.conflict();
        this.logger.debug({ partition: partition.index, key: result.key, attempt }, 'commit conflicted; planning it again');
        await delay(Math.floor(Math.random() * 5 * attempt));
      }
      throw new EvaluationConflictError(`partition ${partition.index}`, this.maxAttempts);
    } catch (error) {
      // Nothing was written: a `once` rule the engine disabled for this work is enabled again (its event is evaluated again).
      for (const rule of work.spent ?? []) this.engine.ruleChanged(rule.id, rule);
      throw error;
    }
  }

  private checkpointOf(partition: Partition, wallMs: number): PartitionCheckpoint {
    const hwm: Record<string, StreamMark> = {};
    for (const { key } of this.options.streams) {
      const cursor = this.cursor.get(key) as string;
      const floor = partition.floor.get(key);
      hwm[key] =
        floor !== undefined && compareStreamIds(floor, cursor) > 0
          ? { id: floor, entriesRead: partition.floorCount.get(key) ?? null }
          : { id: cursor, entriesRead: this.cursorCount.get(key) ?? null };
    }
    const { states, subjects } = this.engine.checkpointOf(partition);
    const prices = partition.prices.takeFlush(wallMs);
    return { partition: partition.index, epoch: partition.epoch, hwm, subjects, states, ...(prices === undefined ? {} : { prices }), trimBeforeMs: partition.prices.trimBefore(wallMs) };
  }

  /** Loads each partition taken from its checkpoint, then re-reads the streams from the lowest high-water mark to this replica's position. */
  private async takeOver(acquired: ReadonlyArray<{ partition: number; epoch: number }>): Promise<void> {
    const taken = new Set<number>();
    for (const { partition: index, epoch } of acquired) {
      const stored = await this.options.store.loadPartition(index);
      const partition = new Partition(index, epoch);
      const ahead = new Set<string>();
      for (const { key } of this.options.streams) {
        const start = this.groupStart.get(key) as StreamMark;
        const floor = stored.fields[`hwm:${key}`];
        partition.floor.set(key, floor ?? start.id);
        partition.floorCount.set(key, floor === undefined ? start.entriesRead : toNumberOrNull(stored.fields[`hwn:${key}`]));
        ahead.add(key);
      }
      for (const [field, value] of Object.entries(stored.fields)) {
        if (!field.startsWith('t:')) continue;
        const [atMs, offsetMs] = value.split(':').map(Number) as [number, number];
        partition.subjects.set(field.slice(2), { atMs, offsetMs: offsetMs ?? 0 });
      }
      for (const [id, fields] of stored.prices) {
        const data = fieldOf(fields, 'd');
        if (data !== undefined) partition.prices.replay(data, streamIdMs(id) ?? Date.now());
      }
      for (const [feed, json] of Object.entries(stored.feeds)) {
        if (partitionOf(feedRouteKey(feed), this.options.partitions) !== index) continue;
        try {
          partition.feeds.set(feed, JSON.parse(json) as FeedState);
        } catch {
          this.logger.warn({ feed }, 'a stored feed status cannot be read; the next announcement replaces it');
        }
      }
      this.engine.adopt(partition, stored.states);
      let until: string | undefined;
      for (const field of Object.keys(stored.states)) {
        const last = this.engine.held(field)?.lastEntryId;
        if (last !== undefined && (until === undefined || compareStreamIds(last, until) > 0)) until = last;
      }
      if (until !== undefined) this.replayUntil.set(index, until);
      this.floorAhead.set(index, ahead);
      taken.add(index);
      this.metrics.moved('acquired');
      this.logger.info({ partition: index, epoch, states: Object.keys(stored.states).length }, 'alert partition acquired');
    }
    for (const { key } of this.options.streams) await this.catchUp(key, taken);
    await this.retireOrphans('all', taken);
  }

  /** Re-reads `stream` from the lowest high-water mark of the partitions taken up to this replica's position, for those partitions only. */
  private async catchUp(stream: string, taken: ReadonlySet<number>): Promise<void> {
    const to = this.cursor.get(stream) as string;
    let from: string | undefined;
    for (const index of taken) {
      const floor = this.engine.partitions.get(index)?.floor.get(stream);
      if (floor !== undefined && (from === undefined || compareStreamIds(floor, from) < 0)) from = floor;
    }
    if (from === undefined || compareStreamIds(from, to) >= 0) return;
    const reader = new StreamReader(this.options.redis, stream, CATCH_UP_COUNT, from);
    for (;;) {
      const entries = await reader.read();
      const mine = entries.filter(([id]) => compareStreamIds(id, to) <= 0);
      if (mine.length > 0) await this.handleEntries(stream, mine, taken);
      if (mine.length < entries.length || entries.length === 0) return;
    }
  }

  /**
   * Follows the rule changes since the last look (at most every `RULES_REFRESH_INTERVAL`): the
   * engine's index and timers, then the open alerts of the changed rules that the new
   * definition no longer produces (rules README, "Time", rule 4). Each ticker pass does it.
   */
  async followRules(): Promise<CommittedChange[]> {
    await this.prepare();
    let changes;
    try {
      changes = await this.options.rules.changes();
    } catch (error) {
      this.logger.warn({ err: error }, 'alert rules refresh failed; using the last rules');
      return [];
    }
    if (!changes) return [];
    for (const rule of changes.changed) this.engine.ruleChanged(rule.id, rule);
    for (const id of changes.deleted) this.engine.ruleChanged(id, undefined);
    return this.retireOrphans(changes.changed.map((rule) => rule.id));
  }

  /**
   * Resolves the open alerts of the held partitions (`only`: of these) whose rule, enabled,
   * no longer produces their labels, and drops their states. `'all'`: every open alert (a
   * takeover); else those of the rules given.
   */
  private async retireOrphans(ruleIds: readonly string[] | 'all', only?: ReadonlySet<number>): Promise<CommittedChange[]> {
    const queries: AlertListQuery[] = ruleIds === 'all' ? OPEN.map((status) => ({ status })) : ruleIds.map((id) => ({ label: `rule=${id}` }));
    const changes: CommittedChange[] = [];
    for (const query of queries) {
      for (const alert of await this.openAlerts(query)) {
        const rule = this.engine.rules.get(alert.ruleId);
        // Escalations and stale feeds' alerts are the system's, whatever their rule id says.
        if (!rule || !rule.enabled || alert.escalation !== undefined || alert.type === FEED_ALERT_TYPE || ruleProducesLabels(rule, alert.labels)) continue;
        const index = partitionOf(routeOfLabels(alert.type, alert.labels).key, this.options.partitions);
        const partition = this.engine.partitions.get(index);
        if (!partition || (only && !only.has(index))) continue;
        try {
          const resolved = await this.options.store.resolveForRuleChange(alert.id, rule.id, { partition: index, lease: `${this.options.instanceId}|${partition.epoch}` });
          this.engine.forget(`${rule.id}|${alert.fingerprint}`);
          await this.notify(resolved);
          changes.push(...resolved);
          if (resolved.length > 0) this.logger.info({ alertId: alert.id, ruleId: rule.id }, 'resolved an alert its changed rule no longer produces');
        } catch (error) {
          if (error instanceof AlertNotFoundError) continue;
          if (!(error instanceof AlertConflictError)) throw error;
          this.logger.warn({ alertId: alert.id, ruleId: rule.id }, 'an alert its changed rule no longer produces kept changing; retried at the next change or takeover');
        }
      }
    }
    return changes;
  }

  /** Every open alert a query finds, all pages. */
  private async openAlerts(query: AlertListQuery): Promise<AlertRecord[]> {
    const open: AlertRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.store.list({ ...query, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      open.push(...page.items.filter((alert) => OPEN.includes(alert.status)));
      cursor = page.nextCursor;
    } while (cursor);
    return open;
  }

  private drop(index: number, reason: 'lost' | 'released'): void {
    if (!this.engine.release(index)) return;
    this.floorAhead.delete(index);
    this.replayUntil.delete(index);
    this.metrics.moved(reason);
    this.logger.info({ partition: index, reason }, reason === 'lost' ? 'alert partition lost to another replica' : 'alert partition released');
  }

  /** Forgets every partition (a failure left memory and Redis possibly apart): the next round takes them back from their checkpoints. */
  private letGoOfEverything(why: string): void {
    const count = this.engine.partitions.size;
    for (const index of [...this.engine.partitions.keys()]) {
      this.engine.release(index);
      this.floorAhead.delete(index);
      this.replayUntil.delete(index);
      this.metrics.moved('lost');
    }
    this.synced = false;
    if (count > 0) this.logger.warn({ partitions: count, why }, 'let go of every alert partition; taking them back from their checkpoints');
  }

  private async notify(changes: readonly CommittedChange[]): Promise<void> {
    if (changes.length === 0 || !this.options.onChanges) return;
    try {
      await this.options.onChanges(changes);
    } catch (error) {
      this.logger.error({ err: error, changes: changes.length }, 'onChanges hook failed');
    }
  }
}
