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
  /** Idempotency marker of a consumed event (with a TTL): `{alerts}:processed:<eventId>`. */
  processed(eventId: string): string;
  /** Hash `{s: RuleState JSON, v: version}` of one (rule, fingerprint): `{alerts}:rulestate:<ruleId>:<fp>`. */
  ruleState(ruleId: string, fingerprint: string): string;
  /** Zset of rule states whose `tick` is due, score = due time, member `<ruleId>|<fp>`. */
  readonly due: string;
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
    processed: (eventId) => `${tag}:processed:${eventId}`,
    ruleState: (ruleId, fingerprint) => `${tag}:rulestate:${ruleId}:${fingerprint}`,
    due: `${tag}:due`,
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
    silences: `${tag}:silences`,
    silencesVersion: `${tag}:silences:version`,
    s2: (kind) => `${tag}:s2:${kind}`,
    s2Version: (kind) => `${tag}:s2:${kind}:version`,
  };
}

/** Member of the `due` zset for one rule state. Rule ids and fingerprints never contain `|`. */
export function dueMember(ruleId: string, fingerprint: string): string {
  return `${ruleId}|${fingerprint}`;
}

/** The rule id and fingerprint of a `due` zset member. */
export function parseDueMember(member: string): { ruleId: string; fingerprint: string } {
  const at = member.lastIndexOf('|');
  return { ruleId: member.slice(0, at), fingerprint: member.slice(at + 1) };
}
