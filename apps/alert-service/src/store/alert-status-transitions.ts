import type { AlertRecord, AlertStatus } from '../alerts';
import { AlertTransitionError } from './alert-store-errors';

/** An action people (or the snooze timer) take on an alert through the API. */
export type AlertAction = 'acknowledge' | 'snooze' | 'unsnooze' | 'resolve';

/**
 * The legal status transitions. Rows: the status now; columns: the action; a cell is the
 * status after, or ✗ (refused with `AlertTransitionError`, code `ERR_ILLEGAL_TRANSITION`,
 * HTTP 409).
 *
 * | now \ action  | acknowledge  | snooze            | unsnooze | resolve  |
 * |---------------|--------------|-------------------|----------|----------|
 * | firing        | acknowledged | snoozed           | ✗        | resolved |
 * | acknowledged  | ✗            | snoozed           | ✗        | resolved |
 * | snoozed       | acknowledged | snoozed (new end) | firing   | resolved |
 * | resolved      | ✗            | ✗                 | ✗        | ✗        |
 *
 * The rule engine moves alerts on its own: a `raise` creates a `firing` alert, an `update`
 * (severity change) keeps the status, a `resolve` makes any open alert `resolved`.
 * `resolved` is final: a condition that returns raises a new alert.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<AlertStatus, Readonly<Partial<Record<AlertAction, AlertStatus>>>>> = {
  firing: { acknowledge: 'acknowledged', snooze: 'snoozed', resolve: 'resolved' },
  acknowledged: { snooze: 'snoozed', resolve: 'resolved' },
  snoozed: { acknowledge: 'acknowledged', snooze: 'snoozed', unsnooze: 'firing', resolve: 'resolved' },
  resolved: {},
};

/** The status `action` leads to from `status`, or `undefined` when it is illegal. */
export function nextStatus(status: AlertStatus, action: AlertAction): AlertStatus | undefined {
  return LEGAL_TRANSITIONS[status][action];
}

/** What an action needs besides the record. */
export interface ActionInput {
  /** Who acts, e.g. `user:alice` or `system`. */
  actor: string;
  /** When, epoch ms. */
  nowMs: number;
  /** Snooze length in minutes (`snooze` only). */
  minutes?: number;
}

/**
 * The record after `action`: status per {@link LEGAL_TRANSITIONS}, who and when, version + 1.
 * Pure.
 * @throws AlertTransitionError when the action is illegal in the record's status
 */
export function applyAction(record: AlertRecord, action: AlertAction, input: ActionInput): AlertRecord {
  const status = nextStatus(record.status, action);
  if (!status) throw new AlertTransitionError(record.id, record.status, action);
  const next: AlertRecord = { ...record, status, updatedAt: input.nowMs, version: record.version + 1 };
  delete next.snoozedUntil;
  delete next.snoozedBy;
  if (action === 'acknowledge') {
    next.acknowledgedBy = input.actor;
    next.acknowledgedAt = input.nowMs;
  } else if (action === 'snooze') {
    next.snoozedUntil = input.nowMs + (input.minutes ?? 0) * 60_000;
    next.snoozedBy = input.actor;
  } else if (action === 'resolve') {
    next.endsAt = input.nowMs;
    next.resolvedBy = input.actor;
  }
  return next;
}
