import type { AlertRecord } from '../alerts';
import type { AlertKeys } from './alert-keys';

/** Digits of the zero-padded `startsAt` in an index member (epoch ms fits in 15 until year 33658). */
const STARTS_AT_DIGITS = 15;

/**
 * The member of an alert in every index zset: `<startsAt padded to 15 digits>:<id>`. All
 * members have score 0, so each index is ordered by start time then id, and neither ever
 * changes: a cursor (the last member seen) stays valid however alerts change meanwhile.
 */
export function indexMember(alert: Pick<AlertRecord, 'startsAt' | 'id'>): string {
  return `${String(Math.max(0, Math.trunc(alert.startsAt))).padStart(STARTS_AT_DIGITS, '0')}:${alert.id}`;
}

/** The alert id of an index member. */
export function idOfIndexMember(member: string): string {
  return member.slice(STARTS_AT_DIGITS + 1);
}

/** Whether `member` has the shape of an index member (used to validate cursors). */
export function isIndexMember(member: string): boolean {
  return new RegExp(`^\\d{${STARTS_AT_DIGITS}}:[A-Za-z0-9_-]{1,128}$`).test(member);
}

/** The index zsets that hold an alert in its current state. */
export function indexKeysOf(keys: AlertKeys, alert: AlertRecord): string[] {
  return [
    keys.indexAll,
    keys.indexStatus(alert.status),
    keys.indexSeverity(alert.severity),
    keys.indexType(alert.type),
    ...Object.entries(alert.labels).map(([name, value]) => keys.indexLabel(name, value)),
  ];
}

/** Field of the counts hash for an alert: `<status>:<severity>`. */
export function countField(alert: Pick<AlertRecord, 'status' | 'severity'>): string {
  return `${alert.status}:${alert.severity}`;
}
