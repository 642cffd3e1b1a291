/** One consumer of a group. */
export interface ConsumerReport {
  /** Consumer name: the instance id of the replica that reads. */
  name: string;
  /** Entries delivered to it and not acknowledged. */
  pending: number;
  /** Milliseconds since it last read (XREADGROUP) or claimed. */
  idleMs: number;
}

/** One consumer group of a stream. */
export interface GroupReport {
  /** Group name, e.g. `alert-service` or `gateway.<instance>`. */
  name: string;
  /** Id of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** Entries the group has read (Redis 7+), null when Redis cannot tell. */
  entriesRead: number | null;
  /**
   * Entries not yet delivered to the group. Redis 7 reports it; when it cannot (entries were
   * deleted or trimmed past the group's position) and the group is behind the oldest entry,
   * the whole stream length is used and `lagEstimated` is true; otherwise null.
   */
  lag: number | null;
  /** True when `lag` is the estimate described there. */
  lagEstimated: boolean;
  /** Entries delivered and not acknowledged (the pending entries list). */
  pending: number;
  /** Its consumers. */
  consumers: ConsumerReport[];
}

/** One watched stream. */
export interface StreamReport {
  /** Stream name without the deployment prefix, e.g. `market_data`. */
  name: string;
  /** Redis key, prefix included. */
  key: string;
  /** Whether the key exists. */
  exists: boolean;
  /** Entries in the stream. */
  length: number;
  /** Oldest entry id, when the stream has entries. */
  firstId?: string;
  /**
   * Id of the newest entry ever added (`last-generated-id`), also when the stream is empty. It
   * is not always the newest entry still in the stream: that one may have been deleted (XDEL),
   * and XSETID can move it forward.
   */
  lastGeneratedId?: string;
  /** Entries ever added (Redis 7+), null when unknown. */
  entriesAdded: number | null;
  /** Its consumer groups. */
  groups: GroupReport[];
  /** The dead-letter stream `<key>:dlq` and its length (0 when absent). */
  dlq: { key: string; length: number };
  /** Why the stream could not be read (a wrong type, a failing command). */
  error?: string;
}
