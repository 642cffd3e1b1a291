import type { AlertStatus } from '../alerts';
import type { Severity } from '../rules';

/**
 * Every Redis key of the alert store. All of them carry the hash tag of the `alerts` stream
 * key (`{alerts}` by default, `{p:alerts}` with stream prefix `p:`), so they share one hash
 * slot with the stream itself: an alert's change and its stream event commit in one script,
 * on a Cluster too.
 */
export interface AlertKeys {
  /** The `alerts` stream key itself, e.g. `alerts` or `p:alerts`. */
  readonly stream: string;
  /** The hash tag, e.g. `{alerts}`. */
  readonly tag: string;
  /** JSON alert record: `{alerts}:alert:<id>`. */
  alert(id: string): string;
  /** Id of the open (not resolved) alert of a fingerprint: `{alerts}:fp:<fingerprint>`. */
  fingerprint(fingerprint: string): string;
  /** List of the alert's changes (JSON), oldest first: `{alerts}:history:<id>`. */
  history(id: string): string;
  /**
   * Hash of one partition of the rule engine: `epoch` (fencing counter, bumped by every
   * takeover), `hwm:<stream>` (every event of the partition up to this stream id is applied)
   * and `t:<subject>` (`<ms>:<offset>`: a subject's newest event time and its frame offset).
   */
  partition(index: number): string;
  /** The lease of a partition: `<owner>|<epoch>`, expiring (PX) unless its owner renews it. */
  lease(index: number): string;
  /** Hash of a partition's rule states that are not inactive: `<ruleId>|<fp>` → `{s, o, a, v}` JSON. */
  partitionStates(index: number): string;
  /** Stream of a partition's recorded prices (one entry per checkpoint), trimmed by MINID. */
  partitionPrices(index: number): string;
  /** Set of the replicas' instance ids that took part recently (each alive while its `member` key lives). */
  readonly members: string;
  /** A replica's membership, expiring (PX) unless renewed. */
  member(instance: string): string;
  /** The number of partitions the stored ones were made for (`ALERT_PARTITIONS`). */
  readonly partitionCount: string;
  /** Zset of resolved alerts, score = endsAt (retention purge). */
  readonly resolved: string;
  /** Zset of snoozed alerts, score = snoozedUntil (snooze expiry). */
  readonly snoozed: string;
  /** Hash `<status>:<severity>` → number of alerts (the metrics gauge). */
  readonly counts: string;
  /** Lexicographic zset of every alert (member `<startsAt, 15 digits>:<id>`, score 0). */
  readonly indexAll: string;
  /** The same members, for one status. */
  indexStatus(status: AlertStatus): string;
  /** The same members, for one severity. */
  indexSeverity(severity: Severity): string;
  /** The same members, for one type (rule kind). */
  indexType(type: string): string;
  /** The same members, for one label pair. */
  indexLabel(name: string, value: string): string;
  /** Hash rule id → rule definition JSON. */
  readonly rules: string;
  /** Counter bumped on every rule change (cheap change detection for caches). */
  readonly rulesVersion: string;
  /** Set once the seed rules were written: deleted seed rules stay deleted. */
  readonly rulesSeeded: string;
  /** Stream of rule changes (`rule <id>`, or `rule *` for all), capped: what the rules caches read instead of every rule. */
  readonly rulesChanges: string;
  /** Hash rule id → why the engine disabled it (`{reason, at, alertId?}` JSON, e.g. a `once` rule that fired); cleared when the rule is written again. */
  readonly rulesDisabled: string;
  /** Hash feed (`<stream>` or `<stream>:<subject>`) → its last announced status (`{status, since, ...}` JSON), written by the engine replica holding the feed's partition. */
  readonly feeds: string;
  /** Zset of open alerts whose last change a silence matched (member alert id, score 0): re-notified when no silence matches any more. */
  readonly silenced: string;
  /** Hash silence id → silence JSON. */
  readonly silences: string;
  /** Counter bumped on every silence change. */
  readonly silencesVersion: string;
  /** Zset of S2 occurrences of one rule kind (member alert id, score when it reached S2). */
  s2(kind: string): string;
  /** Counter bumped with every write to `s2(kind)` (compare-and-set of the escalation decision). */
  s2Version(kind: string): string;
}

/**
 * The keys of the alert store for an `alerts` stream key (default `alerts`). The key must
 * not contain braces, or the hash tag would break.
 * @throws RangeError when `alertsStreamKey` is empty or contains `{` or `}`
 */
export function alertKeys(alertsStreamKey = 'alerts'): AlertKeys {
  if (!/^[^{}\s]+$/.test(alertsStreamKey)) {
    throw new RangeError(`alertsStreamKey must be non-empty, without braces or spaces (got "${alertsStreamKey}")`);
  }
  const tag = `{${alertsStreamKey}}`;
  return {
    stream: alertsStreamKey,
    tag,
    alert: (id) => `${tag}:alert:${id}`,
    fingerprint: (fingerprint) => `${tag}:fp:${fingerprint}`,
    history: (id) => `${tag}:history:${id}`,
    partition: (index) => `${tag}:partition:${index}`,
    lease: (index) => `${tag}:lease:${index}`,
    partitionStates: (index) => `${tag}:states:${index}`,
    partitionPrices: (index) => `${tag}:prices:${index}`,
    members: `${tag}:members`,
    member: (instance) => `${tag}:member:${instance}`,
    partitionCount: `${tag}:partitions`,
    resolved: `${tag}:resolved`,
    snoozed: `${tag}:snoozed`,
    counts: `${tag}:counts`,
    indexAll: `${tag}:index:all`,
    indexStatus: (status) => `${tag}:index:status:${status}`,
    indexSeverity: (severity) => `${tag}:index:severity:${severity}`,
    indexType: (type) => `${tag}:index:type:${type}`,
    indexLabel: (name, value) => `${tag}:index:label:${name}=${value}`,
    rules: `${tag}:rules`,
    rulesVersion: `${tag}:rules:version`,
    rulesSeeded: `${tag}:rules:seeded`,
    rulesChanges: `${tag}:rules:changes`,
    rulesDisabled: `${tag}:rules:disabled`,
    feeds: `${tag}:feeds`,
    silenced: `${tag}:silenced`,
    silences: `${tag}:silences`,
    silencesVersion: `${tag}:silences:version`,
    s2: (kind) => `${tag}:s2:${kind}`,
    s2Version: (kind) => `${tag}:s2:${kind}:version`,
  };
}
