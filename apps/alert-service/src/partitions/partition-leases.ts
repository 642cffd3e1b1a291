import { join } from 'node:path';
import { LuaScript, type RedisConnection } from '@rebal/redis-client';
import type { AlertKeys } from '../store';

const SYNC = new LuaScript(join(__dirname, 'partition-sync.lua'));

/** A position in a stream: an entry id, and how many entries the stream had added up to it (`null`: unknown). */
export interface StreamMark {
  readonly id: string;
  readonly entriesRead: number | null;
}

/** What a replica writes for one partition it holds at a checkpoint (see `partition-sync.lua`). */
export interface PartitionCheckpoint {
  readonly partition: number;
  readonly epoch: number;
  /** Per input stream key: every event of the partition up to this id is applied (the high-water mark). */
  readonly hwm: Readonly<Record<string, StreamMark>>;
  /** Subjects whose newest event time moved: subject → `<ms>:<offset>`. */
  readonly subjects: Readonly<Record<string, string>>;
  /** Held states to write (JSON) or delete (`null`). */
  readonly states: Readonly<Record<string, string | null>>;
  /** The price stream entry of what was recorded since the last checkpoint, if any. */
  readonly prices?: string;
  /** Price stream entries older than this (ms) may be trimmed. */
  readonly trimBeforeMs: number;
}

/** One round: what the replica holds and hands over. */
export interface SyncRequest {
  /** Partitions held, with their epochs: renewed. */
  readonly held: ReadonlyArray<{ partition: number; epoch: number }>;
  readonly checkpoints: readonly PartitionCheckpoint[];
  /** Partitions given up (after their checkpoint in the same round); beyond these, those over the fair share are handed over. Every held partition must be checkpointed in the round. */
  readonly release: readonly number[];
  /** Take free partitions up to the fair share. */
  readonly acquire: boolean;
  /** End this replica's membership (shutdown). */
  readonly leave?: boolean;
}

/** What a round did. */
export interface SyncResult {
  /** Live replicas, this one included (unless it left). */
  readonly live: number;
  /** The fair share: ceil(partitions / live). */
  readonly share: number;
  /** Held partitions whose lease another replica holds now: nothing of them was written. */
  readonly lost: readonly number[];
  /** Partitions taken, with their new epochs. */
  readonly acquired: ReadonlyArray<{ partition: number; epoch: number }>;
  /** Held partitions handed over because this replica held more than the fair share. */
  readonly handed: readonly number[];
  /** For the holder of partition 0: per stream key, the lowest high-water mark of all partitions (when all have one). */
  readonly low: Readonly<Record<string, StreamMark>>;
}

/** Options of {@link PartitionLeases}. */
export interface PartitionLeasesOptions {
  /** The command connection (all keys live in the `alerts` stream's hash slot). */
  readonly redis: RedisConnection;
  readonly keys: AlertKeys;
  /** This replica's instance id: the lease owner. */
  readonly instanceId: string;
  /** Number of partitions (`ALERT_PARTITIONS`). */
  readonly partitions: number;
  /** Lease and membership time to live, ms (`CONSUMER_CLAIM_IDLE`): a replica that stops renewing loses its partitions after it. */
  readonly ttlMs: number;
  /** Input stream keys (their high-water marks). */
  readonly streams: readonly string[];
  /** The partition to start looking for free ones at (spreads replicas over the partitions). */
  readonly from: number;
}

/**
 * A replica's leases on the rule engine's partitions: one script call per round
 * (`partition-sync.lua`) renews them, writes the checkpoints, releases what is handed over and
 * takes free partitions up to ceil(partitions / live replicas). Lease and membership keys
 * expire in Redis (PX): a replica that dies loses its partitions a lease TTL later; every write
 * to a partition is fenced by its lease and epoch.
 */
export class PartitionLeases {
  private members: string[] = [];

  /** @param options see {@link PartitionLeasesOptions} */
  constructor(private readonly options: PartitionLeasesOptions) {}

  /** Runs one round. */
  async sync(request: SyncRequest): Promise<SyncResult> {
    const { keys, instanceId, partitions } = this.options;
    const others = this.members.filter((id) => id !== instanceId);
    const scriptKeys = [keys.members, keys.partitionCount, keys.member(instanceId), ...others.map((id) => keys.member(id))];
    for (let p = 0; p < partitions; p += 1) scriptKeys.push(keys.lease(p));
    for (let p = 0; p < partitions; p += 1) scriptKeys.push(keys.partition(p));
    for (const checkpoint of request.checkpoints) scriptKeys.push(keys.partitionStates(checkpoint.partition), keys.partitionPrices(checkpoint.partition));
    const plan = {
      me: instanceId,
      ttl: this.options.ttlMs,
      n: partitions,
      k: others,
      held: request.held.map(({ partition, epoch }) => [partition, epoch]),
      cp: request.checkpoints.map((checkpoint) => ({
        p: checkpoint.partition,
        e: checkpoint.epoch,
        h: Object.fromEntries(Object.entries(checkpoint.hwm).map(([stream, mark]) => [stream, [mark.id, mark.entriesRead ?? false]])),
        t: Object.entries(checkpoint.subjects).flat(),
        s: Object.entries(checkpoint.states).flatMap(([field, json]) => [field, json ?? false]),
        x: checkpoint.prices ?? false,
        m: Math.max(0, Math.floor(checkpoint.trimBeforeMs)),
      })),
      rel: request.release,
      want: request.acquire,
      leave: request.leave === true,
      from: this.options.from,
      streams: this.options.streams,
    };
    const reply = JSON.parse(String(await SYNC.run(this.options.redis, scriptKeys, [JSON.stringify(plan)]))) as {
      live: number;
      share: number;
      lost: number[] | Record<string, never>;
      got: Array<[number, number]> | Record<string, never>;
      handed: number[] | Record<string, never>;
      members: string[] | Record<string, never>;
      low: Record<string, [string, string | false]> | [];
    };
    // cjson writes an empty array as {}.
    const list = <T>(value: T[] | Record<string, never>): T[] => (Array.isArray(value) ? value : []);
    this.members = list(reply.members);
    return {
      live: reply.live,
      share: reply.share,
      lost: list(reply.lost),
      acquired: list(reply.got).map(([partition, epoch]) => ({ partition, epoch })),
      handed: list(reply.handed),
      low: Array.isArray(reply.low) ? {} : Object.fromEntries(Object.entries(reply.low).map(([stream, [id, count]]) => [stream, { id, entriesRead: count === false ? null : Number(count) }])),
    };
  }
}
