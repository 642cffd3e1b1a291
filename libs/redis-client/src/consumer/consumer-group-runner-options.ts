import type { Registry } from 'prom-client';
import { commandTimeoutOf } from '../connection/connection-metadata';
import type { RedisConnection } from '../connection/redis-connection';
import type { CloudEvent } from '../events/cloud-event';
import { silentLogger, type Logger } from '../logging/logger';
import { ConsumerGroupRunnerError } from './consumer-group-runner-error';

/** Where a handled event came from. */
export interface ConsumerEntry {
  /** Stream entry id (not the event id). */
  id: string;
  /** Stream key. */
  stream: string;
  /** How many times the group has delivered this entry, this delivery included (1 on first read). */
  deliveries: number;
}

/**
 * Handles one event. Resolve once its effect is committed: the runner then XACKs it. Throw
 * (or reject) to leave it pending for a retry; effects must be idempotent by `event.id`.
 */
export type ConsumerHandler = (event: CloudEvent, entry: ConsumerEntry) => Promise<void>;

/** Options of `ConsumerGroupRunner`. */
export interface ConsumerGroupRunnerOptions {
  /** Connection for XGROUP, XACK, XAUTOCLAIM, XPENDING, XINFO and the XADD to the dead-letter stream. */
  redis: RedisConnection;
  /**
   * A connection of its own for XREADGROUP BLOCK, which holds the socket while it waits.
   * Create it with `maxRetriesPerRequest: null` so a read waits out a reconnect instead of failing.
   */
  blockingRedis: RedisConnection;
  /** Full stream key, prefix included. */
  stream: string;
  /** Consumer group name. */
  group: string;
  /** Consumer name within the group: the instance id (pod name). */
  consumer: string;
  /** Handles each event (see {@link ConsumerHandler}). */
  handler: ConsumerHandler;
  /** Handlers running at once, at most (default 10). */
  concurrency?: number;
  /** XREADGROUP / XAUTOCLAIM COUNT (default 100). */
  count?: number;
  /** XREADGROUP BLOCK in ms (default 2000). `stop()` waits for the current BLOCK unless `ownsBlockingConnection`. */
  blockMs?: number;
  /**
   * How long past its BLOCK time a read may go unanswered before it counts as failed, in ms: a
   * Redis that hangs keeps the blocking connection open and `ready`, and would otherwise be
   * waited for without end. The read is then retried with backoff and `reading` is false until
   * one succeeds (default: the command timeout `blockingRedis` was created with,
   * `REDIS_COMMAND_TIMEOUT`, 5 s).
   */
  readTimeoutMs?: number;
  /** An entry pending this long (ms) without an ack is claimed by XAUTOCLAIM, from any consumer (default 30000). Must exceed the slowest handler. */
  claimIdleMs?: number;
  /** Time between XAUTOCLAIM passes in ms (default 5000). */
  claimIntervalMs?: number;
  /** Deliveries after which a still-failing entry moves to the dead-letter stream (default 5). */
  maxDeliveries?: number;
  /**
   * Fan-out mode: XREADGROUP NOACK, so nothing is pending, acked or claimed and a failed
   * handler is not retried (default false).
   */
  noAck?: boolean;
  /** Id the group starts from when the runner creates it: `$` new entries only, `0` the whole stream (default `$`). */
  startId?: string;
  /** Validate every event against its JSON Schema; when false, only the envelope fields and JSON are checked (default true). */
  validate?: boolean;
  /**
   * The event types the stream may carry, e.g. `STREAMS.market_data.types`. An entry of
   * another type is refused like an invalid one (reason `event type "X" does not belong on
   * this stream (it carries a, b)`): dead-lettered at once with `deadLetterInvalid`, else
   * dropped and acked; its handler never sees it. Checked even when `validate` is false.
   * Must not be empty. Default: any known type (any type when `validate` is false).
   */
  types?: readonly string[];
  /**
   * Send entries that fail decoding or validation, or whose type is not in `types`, to the
   * dead-letter stream (default true, false with `noAck`: fan-out groups would each write the
   * same copy; the work-sharing consumers of the stream dead-letter it once).
   */
  deadLetterInvalid?: boolean;
  /**
   * The runner owns `blockingRedis`: `stop()` disconnects it to end a BLOCK at once.
   * Otherwise `stop()` waits for the current BLOCK to return, up to `blockMs` (default false).
   */
  ownsBlockingConnection?: boolean;
  /** Cap of the backoff between failed reads in ms (default 5000; it starts at 100). */
  maxBackoffMs?: number;
  /** Time between refreshes of the lag and pending gauges in ms, from XINFO GROUPS (default 5000). */
  metricsIntervalMs?: number;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry of the `rebal_consumer_*` metrics (default: the global registry). */
  registry?: Registry;
}

/** The options with every default applied. */
export type ResolvedRunnerOptions = Required<Omit<ConsumerGroupRunnerOptions, 'registry' | 'types'>> & Pick<ConsumerGroupRunnerOptions, 'registry' | 'types'>;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonEmpty(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', `${name} must be a non-empty string`);
  }
  return value;
}

/** A copy of the stream's event types, or undefined for any type; refuses an empty list or an empty name. */
function eventTypes(types: readonly string[] | undefined): readonly string[] | undefined {
  if (types === undefined) return undefined;
  if (!Array.isArray(types) || types.length === 0) {
    throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', 'types must list at least one event type (omit it to accept any known type)');
  }
  for (const type of types) nonEmpty('types[]', type);
  return Object.freeze([...types]);
}

/** The runner's defaults, in one place: a service's environment schema takes its defaults from here. */
export const RUNNER_DEFAULTS = {
  concurrency: 10,
  count: 100,
  blockMs: 2_000,
  claimIdleMs: 30_000,
  claimIntervalMs: 5_000,
  maxDeliveries: 5,
  maxBackoffMs: 5_000,
  metricsIntervalMs: 5_000,
} as const;

/** Merges the defaults once and checks every value; throws `ERR_RUNNER_OPTIONS`. */
export function resolveRunnerOptions(options: ConsumerGroupRunnerOptions): ResolvedRunnerOptions {
  if (!options.redis || !options.blockingRedis) {
    throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', 'redis and blockingRedis connections are required');
  }
  if (options.redis === options.blockingRedis) {
    throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', 'blockingRedis must be its own connection, not redis');
  }
  if (typeof options.handler !== 'function') throw new ConsumerGroupRunnerError('ERR_RUNNER_OPTIONS', 'handler must be a function');
  const noAck = options.noAck ?? false;
  return {
    redis: options.redis,
    blockingRedis: options.blockingRedis,
    stream: nonEmpty('stream', options.stream),
    group: nonEmpty('group', options.group),
    consumer: nonEmpty('consumer', options.consumer),
    handler: options.handler,
    concurrency: positiveInteger('concurrency', options.concurrency ?? RUNNER_DEFAULTS.concurrency),
    count: positiveInteger('count', options.count ?? RUNNER_DEFAULTS.count),
    blockMs: positiveInteger('blockMs', options.blockMs ?? RUNNER_DEFAULTS.blockMs),
    readTimeoutMs: positiveInteger('readTimeoutMs', options.readTimeoutMs ?? commandTimeoutOf(options.blockingRedis)),
    claimIdleMs: positiveInteger('claimIdleMs', options.claimIdleMs ?? RUNNER_DEFAULTS.claimIdleMs),
    claimIntervalMs: positiveInteger('claimIntervalMs', options.claimIntervalMs ?? RUNNER_DEFAULTS.claimIntervalMs),
    maxDeliveries: positiveInteger('maxDeliveries', options.maxDeliveries ?? RUNNER_DEFAULTS.maxDeliveries),
    noAck,
    startId: nonEmpty('startId', options.startId ?? '$'),
    validate: options.validate ?? true,
    types: eventTypes(options.types),
    deadLetterInvalid: options.deadLetterInvalid ?? !noAck,
    ownsBlockingConnection: options.ownsBlockingConnection ?? false,
    maxBackoffMs: positiveInteger('maxBackoffMs', options.maxBackoffMs ?? RUNNER_DEFAULTS.maxBackoffMs),
    metricsIntervalMs: positiveInteger('metricsIntervalMs', options.metricsIntervalMs ?? RUNNER_DEFAULTS.metricsIntervalMs),
    logger: options.logger ?? silentLogger(),
    registry: options.registry,
  };
}
