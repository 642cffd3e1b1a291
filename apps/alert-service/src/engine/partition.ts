import type { AlertEvidence } from '../alerts';
import type { RuleState } from '../rules';
import type { FeedState } from './feed-alert';
import { PriceBook } from './price-book';

/** One (rule, fingerprint) held in memory by the replica that owns its partition. */
export interface HeldState {
  /** `<ruleId>|<fingerprint>`: its field in the partition's states hash. */
  readonly key: string;
  readonly ruleId: string;
  readonly fingerprint: string;
  readonly partition: number;
  /** Where it is visited: the event family and routing key, e.g. `m\0BTC` (see `routingKey`). */
  readonly routing: string;
  /** What it observes, e.g. `m\0BTC` or `d\0p1\0ETH`: its last event time is that subject's while it is inactive. */
  readonly subject: string;
  /** The engine state (rules/rule-state.ts). */
  state: RuleState;
  /** Wall clock minus the event time of the observation that last moved its event time on (rules README, "Time", rule 3). */
  frameOffsetMs: number;
  /** Stream id of the last event applied to it: an event at or before it never is again (a takeover re-reads from the high-water mark). */
  lastEntryId?: string;
  /** While firing with a keep-firing timer running: the event that cleared it, the evidence of the resolve to come. */
  clear?: AlertEvidence;
  /** Writes to Redis so far. */
  version: number;
  /** A copy is in Redis. */
  persisted: boolean;
  /** Differs from the copy in Redis (written at the next checkpoint). */
  dirty: boolean;
  /** Bumped whenever its timer is rescheduled or cancelled: older timer entries are stale. */
  timerGeneration: number;
  /** Counted in its route's active set (its phase is not inactive). */
  active: boolean;
}

/** The newest event time of a subject, and the frame offset of the first event that reached it. */
export interface SubjectTime {
  atMs: number;
  offsetMs: number;
}

/**
 * What a replica holds for one partition it owns: its leased epoch, the held rule states (the
 * others are inactive: their state is their subject's time), the subjects' newest event times,
 * the price series, the feeds' statuses, and per input stream the id up to which every event of the partition was
 * applied (`floor`: the high-water mark found at takeover; later, the replica's own position).
 */
export class Partition {
  readonly states = new Map<string, HeldState>();
  readonly subjects = new Map<string, SubjectTime>();
  readonly dirtySubjects = new Set<string>();
  readonly prices = new PriceBook();
  /** The feeds whose route key is in this partition, by name, as last announced (stale or fresh). */
  readonly feeds = new Map<string, FeedState>();
  /** Per stream key: events at or before this id were applied by an earlier owner. */
  readonly floor = new Map<string, string>();
  /** Per stream key: how many entries the stream had added up to `floor` (`null`: unknown). */
  readonly floorCount = new Map<string, number | null>();

  /**
   * @param index the partition number
   * @param epoch the fencing epoch of its lease: every write checks it
   */
  constructor(
    readonly index: number,
    readonly epoch: number,
  ) {}
}
