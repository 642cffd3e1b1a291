import type { AlertEvidence, AlertRecord } from '../alerts';
import type { RuleDefinition } from '../rules';
import type { AlertEvidenceView, RuleStatus, SilenceView, StoredAlertChange } from '../store';

/** Epoch-ms fields of an alert record that the API writes as RFC 3339 text. */
const ALERT_TIME_FIELDS = ['startsAt', 'updatedAt', 'endsAt', 'acknowledgedAt', 'snoozedUntil'] as const;

type AlertTimeField = (typeof ALERT_TIME_FIELDS)[number];

/** An evidence entry as the API shows it (its event time as ISO 8601 text). */
export type AlertEvidenceJson = Omit<AlertEvidence, 'at'> & { at: string };

/** An alert as the API shows it: the stored record with its times as ISO 8601 UTC text. */
export type AlertJson = Omit<AlertRecord, AlertTimeField | 'evidence'> &
  Partial<Record<AlertTimeField, string>> & { startsAt: string; updatedAt: string; evidence?: AlertEvidenceJson[] };

/** One change of an alert's history as the API shows it. */
export interface AlertChangeJson {
  /** The `alerts` stream event type, e.g. `alert.acknowledged`. */
  type: string;
  /** Who made it: `rule:<id>`, `user:<sub>` or `system`. */
  actor: string;
  /** When, ISO 8601. */
  at: string;
  /** Whether notification targets were told. */
  notify: boolean;
  /** Why a notifiable change was not notified (`silence`, `snooze`, `rate_limit`, `budget`). */
  suppressedBy?: string;
  /** The record after the change. */
  alert: AlertJson;
}

/** A silence as the API shows it (times as ISO 8601 text). */
export type SilenceJson = Omit<SilenceView, 'startsAt' | 'endsAt' | 'createdAt' | 'updatedAt'> & {
  startsAt: string;
  endsAt: string;
  createdAt: string;
  updatedAt: string;
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** The API's JSON form of an alert record (times as ISO text, everything else as stored). */
export function toAlertJson(alert: AlertRecord): AlertJson {
  const json: Record<string, unknown> = { ...alert };
  for (const field of ALERT_TIME_FIELDS) {
    const value = alert[field];
    if (typeof value === 'number') json[field] = iso(value);
  }
  if (alert.evidence) json['evidence'] = alert.evidence.map(toEvidenceJson);
  return json as AlertJson;
}

/** The API's JSON form of an evidence entry. */
export function toEvidenceJson(entry: AlertEvidence): AlertEvidenceJson {
  return { ...entry, at: iso(entry.at) };
}

/** The API's JSON form of a history entry. */
export function toChangeJson(change: StoredAlertChange): AlertChangeJson {
  const json: AlertChangeJson = { type: change.type, actor: change.actor, at: iso(change.at), notify: change.notify === true, alert: toAlertJson(change.alert) };
  if (change.suppressedBy !== undefined) json.suppressedBy = change.suppressedBy;
  return json;
}

/** The API's JSON form of a silence. */
export function toSilenceJson(silence: SilenceView): SilenceJson {
  return { ...silence, startsAt: iso(silence.startsAt), endsAt: iso(silence.endsAt), createdAt: iso(silence.createdAt), updatedAt: iso(silence.updatedAt) };
}

/** `GET /alerts/{id}/evidence` as the API shows it (times as ISO text). */
export interface AlertEvidenceViewJson {
  items: Array<AlertEvidenceJson & { source: 'stream' | 'record'; event?: unknown }>;
  prices?: { symbol: string; points: Array<{ id: string; at: string; price: number }> };
}

/** The API's JSON form of an alert's evidence. */
export function toEvidenceViewJson(view: AlertEvidenceView): AlertEvidenceViewJson {
  const json: AlertEvidenceViewJson = { items: view.items.map((item) => ({ ...item, at: iso(item.at) })) };
  if (view.prices) json.prices = { symbol: view.prices.symbol, points: view.prices.points.map((point) => ({ ...point, at: iso(point.at) })) };
  return json;
}

/** A rule's status as the API shows it (times as ISO text). */
export interface RuleStatusJson {
  state: RuleStatus['state'];
  disabled?: { reason: string; at: string; alertId?: string };
  subjects: Array<{ subject: Record<string, string>; state: string; phase: string; since?: string; feed?: string }>;
}

/** A rule as `GET /rules` and `GET /rules/{id}` answer it: its definition and its `status`. */
export type RuleJson = RuleDefinition & { status: RuleStatusJson };

/** The API's JSON form of a rule with its status. */
export function toRuleJson(rule: RuleDefinition, status: RuleStatus): RuleJson {
  const json: RuleStatusJson = {
    state: status.state,
    subjects: status.subjects.map(({ since, ...subject }) => ({ ...subject, ...(since === undefined ? {} : { since: iso(since) }) })),
  };
  if (status.disabled) json.disabled = { ...status.disabled, at: iso(status.disabled.at) };
  return { ...rule, status: json };
}
