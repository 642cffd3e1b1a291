/** Outcome of one check: `ok`, `warn` (works, but worth fixing) or `fail` (a requirement is not met). */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One finding of the doctor, with the fix when it is not `ok`. */
export interface DoctorCheck {
  /** Stable identifier, e.g. `persistence.appendonly` (suffixed `@host:port` per Cluster master). */
  id: string;
  /** Short human title, e.g. `AOF persistence (appendonly)`. */
  title: string;
  /** `fail` makes the report not ok; `warn` is worth fixing but does not block. */
  status: CheckStatus;
  /** What was found, in one sentence. */
  detail: string;
  /** What to do about it (may span several lines); absent when there is nothing to do. */
  fix?: string;
  /** The server the check ran on (`host:port`), set for per-node checks of a Cluster. */
  node?: string;
}

/** One consumer group of a stream, as XINFO GROUPS reports it. */
export interface DoctorGroupReport {
  /** Group name, e.g. `alert-service` or `gateway.<instance>`. */
  name: string;
  /** Consumers registered in the group. */
  consumers: number;
  /** Entries delivered to a consumer and not acknowledged yet. */
  pending: number;
  /** Entries added to the stream that the group has not read yet; `null` when Redis cannot tell. */
  lag: number | null;
  /** ID of the last entry delivered to the group. */
  lastDeliveredId: string;
}

/** What the doctor saw of one stream and its dead-letter stream. */
export interface DoctorStreamReport {
  /** The stream's key (with the deployment's prefix). */
  stream: string;
  /** False when the key does not exist yet (streams are created by their first XADD or group). */
  exists: boolean;
  /** Entries in the stream (XLEN); 0 when it does not exist. */
  length: number;
  /** ID of the oldest entry, when there is one. */
  firstId?: string;
  /** ID of the newest entry, when there is one. */
  lastId?: string;
  /** Its consumer groups (XINFO GROUPS). */
  groups: DoctorGroupReport[];
  /** Entries in `<stream>:dlq`, or `null` when it could not be read. */
  dlqLength: number | null;
  /** Set when the stream could not be read (wrong key type, missing permission, timeout). */
  error?: string;
}

/** Everything the doctor found: print it with `formatDoctorReport` or serialise it as JSON. */
export interface DoctorReport {
  /** True when no check failed (warnings allowed). */
  ok: boolean;
  /** False when Redis did not answer PING at all: every other check was skipped. */
  reachable: boolean;
  /** Every check, server checks first (per master on a Cluster), then streams. */
  checks: DoctorCheck[];
  /** What was checked, e.g. `redis://app:***@redis:6379/0`; never contains a password. */
  target: string;
  /** How long the run took. */
  durationMs: number;
  /** Every inspected stream, in the order asked (empty when Redis was unreachable). */
  streams: DoctorStreamReport[];
}
