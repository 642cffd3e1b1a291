import { RULE_KINDS, type RuleAction, type RuleKind, type Severity } from '../rules';

/** The `type` of the alerts a stale feed raises (one per feed, S1, resolved when it is fresh again): not a rule kind. */
export const FEED_ALERT_TYPE = 'feed_status';

/** What raised an alert: its rule's kind, or {@link FEED_ALERT_TYPE} for a stale feed. */
export type AlertType = RuleKind | typeof FEED_ALERT_TYPE;

/** Every alert type: the rule kinds, then {@link FEED_ALERT_TYPE}. */
export const ALERT_TYPES: readonly AlertType[] = [...RULE_KINDS, FEED_ALERT_TYPE];

/** Lifecycle of an alert. `resolved` is final; the others can move between each other. */
export type AlertStatus = 'firing' | 'acknowledged' | 'snoozed' | 'resolved';

/** Every status, in lifecycle order. */
export const ALERT_STATUSES: readonly AlertStatus[] = ['firing', 'acknowledged', 'snoozed', 'resolved'];

/** The `alerts` stream event types (shared/DESIGN.md), one per kind of change. */
export type AlertEventType =
  | 'alert.raised'
  | 'alert.updated'
  | 'alert.acknowledged'
  | 'alert.snoozed'
  | 'alert.resolved'
  | 'alert.escalated';

/** How an alert was escalated: the S2 alerts of one kind that, together, raised an S3. */
export interface AlertEscalation {
  /** Ids of the alerts whose burst caused this escalation. */
  sourceAlertIds: string[];
  /** The rule kind they share. */
  kind: RuleKind;
  /** Window the burst was counted in, in milliseconds. */
  windowMs: number;
}

/** Most evidence entries an alert keeps: its first (the raise) and the newest after it. */
export const MAX_EVIDENCE = 50;

/**
 * One event that moved an alert: kept in its record (the raise and the newest entries after it,
 * {@link MAX_EVIDENCE} in all), read back with the event itself by `GET /alerts/{id}/evidence`.
 */
export interface AlertEvidence {
  /**
   * What the event did: `raise` opened the alert, `update` changed its severity, `clear` brought
   * its value past the recovery level (the resolve follows at once, or `keepFiringSeconds`
   * later unless a value comes back first).
   */
  type: 'raise' | 'update' | 'clear';
  /** The key of the stream it was read from (the deployment's stream prefix included), e.g. `market_data`. */
  stream: string;
  /** Its stream entry id. */
  id: string;
  /** The value the rule measured in it (a price, a move in %, a drift in points, ...). */
  value: number;
  /** Its event time, epoch ms. */
  at: number;
  /** The alert's severity after it (`raise` and `update`). */
  severity?: Severity;
}

/**
 * The full alert record: stored in Redis as JSON under `{alerts}:alert:<id>` and sent whole
 * in every `alert.*` event (`data.alert`). Times are epoch milliseconds (and ISO text in
 * the API's JSON form, see `toAlertJson`).
 */
export interface AlertRecord {
  /** Unique id (UUID). */
  id: string;
  /** The rule that raised it (`escalation` for escalation alerts). */
  ruleId: string;
  /** The rule kind, e.g. `price_threshold`, or `feed_status` for a stale feed's alert. */
  type: AlertType;
  severity: Severity;
  /** Identity labels (rule, kind, symbol, portfolioId, ...). */
  labels: Record<string, string>;
  /** Dedup key: hash of the sorted labels. One non-resolved alert per fingerprint. */
  fingerprint: string;
  /** Rendered summary and description. */
  annotations: Record<string, string>;
  /** The value that triggered the latest change. */
  value: number;
  startsAt: number;
  updatedAt: number;
  endsAt?: number;
  status: AlertStatus;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  snoozedUntil?: number;
  snoozedBy?: string;
  resolvedBy?: string;
  /** The suggested action for the current severity, if the rule defines one. */
  suggestedAction?: RuleAction;
  escalation?: AlertEscalation;
  /** True when a silence matched at the last change: stored, not notified. */
  silenced?: boolean;
  /** The events that moved it (raise, severity changes, clear), oldest first; absent for alerts no event moved (escalations). */
  evidence?: AlertEvidence[];
  /** Increases by one with every change; (id, version) identifies a change exactly once. */
  version: number;
}

/** One change of an alert, as committed with its `alerts` stream event and kept in its history. */
export interface AlertChange {
  /** The `alerts` stream event type of this change. */
  type: AlertEventType;
  /** The record after the change. */
  alert: AlertRecord;
  /** Who made it: `rule:<ruleId>`, `user:<sub>` or `system`. */
  actor: string;
  /** When, epoch ms. */
  at: number;
  /** Id of the `alerts` stream entry that carries it. */
  streamId?: string;
}
