import { ALERT_STATUSES, ALERT_TYPES, type AlertRecord, type AlertStatus, type AlertType } from '../alerts';
import { isSeverity, type Severity } from '../rules';
import { idOfIndexMember, isIndexMember } from './alert-index';
import { AlertStoreInputError, type InputIssue } from './alert-store-errors';
import type { StoreContext } from './store-context';

/** Filters and page of `AlertStore.list`. Every filter given must match. */
export interface AlertListQuery {
  /** Only this status. */
  status?: AlertStatus;
  /** Only this severity. */
  severity?: Severity;
  /** Only this type (a rule kind, or `feed_status`). */
  type?: AlertType;
  /** Only alerts with this label, written `name=value`. */
  label?: string;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page (opaque). */
  cursor?: string;
}

/** One page of alerts, newest `startsAt` first (ties by id, descending). */
export interface AlertPage {
  /** The alerts of this page. */
  items: AlertRecord[];
  /** Pass as `cursor` for the next page; absent on the last page (a page may be short, even empty, before the end). */
  nextCursor?: string;
}

/** Largest page. */
export const MAX_PAGE_SIZE = 500;
/** Page size when none is given. */
export const DEFAULT_PAGE_SIZE = 50;
/** Index members examined per call at most, so a rare filter cannot scan everything at once. */
const MAX_SCANNED = 5_000;

/** Encodes an index member as an opaque cursor. */
export function encodeCursor(member: string): string {
  return Buffer.from(member, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor.
 * @throws AlertStoreInputError (field `cursor`) when it is not one this store issued
 */
export function decodeCursor(cursor: string): string {
  const member = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isIndexMember(member)) throw new AlertStoreInputError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  return member;
}

interface CheckedQuery {
  status?: AlertStatus;
  severity?: Severity;
  type?: string;
  label?: { name: string; value: string };
  limit: number;
  after?: string;
}

function checkQuery(query: AlertListQuery): CheckedQuery {
  const issues: InputIssue[] = [];
  const checked: CheckedQuery = { limit: query.limit ?? DEFAULT_PAGE_SIZE };
  if (!Number.isInteger(checked.limit) || checked.limit < 1 || checked.limit > MAX_PAGE_SIZE) {
    issues.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
  }
  if (query.status !== undefined) {
    if (ALERT_STATUSES.includes(query.status)) checked.status = query.status;
    else issues.push({ field: 'status', message: `must be one of ${ALERT_STATUSES.join(', ')}` });
  }
  if (query.severity !== undefined) {
    if (isSeverity(query.severity)) checked.severity = query.severity;
    else issues.push({ field: 'severity', message: 'must be one of S1, S2, S3' });
  }
  if (query.type !== undefined) {
    if ((ALERT_TYPES as readonly string[]).includes(query.type)) checked.type = query.type as AlertType;
    else issues.push({ field: 'type', message: `must be one of ${ALERT_TYPES.join(', ')}` });
  }
  if (query.label !== undefined) {
    const at = query.label.indexOf('=');
    if (at > 0) checked.label = { name: query.label.slice(0, at), value: query.label.slice(at + 1) };
    else issues.push({ field: 'label', message: 'must be name=value' });
  }
  if (query.cursor !== undefined) {
    try {
      checked.after = decodeCursor(query.cursor);
    } catch (error) {
      issues.push(...(error as AlertStoreInputError).issues);
    }
  }
  if (issues.length > 0) throw new AlertStoreInputError(issues);
  return checked;
}

function matches(alert: AlertRecord, query: CheckedQuery): boolean {
  if (query.status !== undefined && alert.status !== query.status) return false;
  if (query.severity !== undefined && alert.severity !== query.severity) return false;
  if (query.type !== undefined && alert.type !== query.type) return false;
  if (query.label !== undefined && alert.labels[query.label.name] !== query.label.value) return false;
  return true;
}

/**
 * Lists alerts: walks the smallest index among the filters given (newest first, by the
 * immutable member `<startsAt>:<id>`), reads the records and checks every filter on the
 * record itself, so an alert changing status during a walk is judged by its current state.
 * The cursor is the last member examined: a walk returns every alert at most once.
 * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`) for a bad filter, limit or cursor
 */
export async function listAlerts(ctx: StoreContext, query: AlertListQuery): Promise<AlertPage> {
  const checked = checkQuery(query);
  const { keys } = ctx;
  const candidates = [keys.indexAll];
  if (checked.status) candidates.push(keys.indexStatus(checked.status));
  if (checked.severity) candidates.push(keys.indexSeverity(checked.severity));
  if (checked.type) candidates.push(keys.indexType(checked.type));
  if (checked.label) candidates.push(keys.indexLabel(checked.label.name, checked.label.value));
  const sizes = await Promise.all(candidates.map((key) => ctx.redis.zcard(key)));
  const index = candidates[sizes.indexOf(Math.min(...sizes))] as string;

  const items: AlertRecord[] = [];
  let from = checked.after ? `(${checked.after}` : '+';
  let scanned = 0;
  const chunk = Math.min(MAX_PAGE_SIZE, Math.max(checked.limit * 2, 50));
  for (;;) {
    const members = await ctx.redis.zrange(index, from, '-', 'BYLEX', 'REV', 'LIMIT', 0, chunk);
    if (members.length === 0) return { items };
    const records = await ctx.readAlerts(members.map(idOfIndexMember));
    for (let i = 0; i < members.length; i += 1) {
      const record = records[i];
      scanned += 1;
      if (record && matches(record, checked)) items.push(record);
      const last = members[i] as string;
      const more = i < members.length - 1 || members.length === chunk;
      if ((items.length === checked.limit || scanned >= MAX_SCANNED) && more) return { items, nextCursor: encodeCursor(last) };
      if (items.length === checked.limit) return { items };
    }
    if (members.length < chunk) return { items };
    from = `(${members[members.length - 1] as string}`;
  }
}
