import type { CloudEvent } from '@rebal/gateway-client';

/** Lifecycle of an alert. */
export type AlertStatus = 'firing' | 'acknowledged' | 'snoozed' | 'resolved';

/** Alert severity: `S1` info, `S2` major, `S3` critical. */
export type AlertSeverity = 'S1' | 'S2' | 'S3';

/**
 * An alert as the console shows it, from either source: the REST API's `AlertJson` (times
 * as ISO text) or the `alerts` stream's `data.alert` record (times as epoch ms).
 */
export interface AlertView {
  readonly id: string;
  readonly ruleId: string;
  readonly type: string;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
  /** `annotations.summary`, or the rule id when absent. */
  readonly summary: string;
  /** `annotations.description`, possibly empty. */
  readonly description: string;
  readonly value: number | undefined;
  readonly status: AlertStatus;
  /** ms since the epoch. */
  readonly startsAt: number;
  /** ms since the epoch: orders changes when `version` is missing. */
  readonly updatedAt: number;
  readonly acknowledgedBy: string | undefined;
  /** ms since the epoch. */
  readonly snoozedUntil: number | undefined;
  /** A readable form of the suggested action, e.g. `apply_policy: Slow`. */
  readonly suggestedAction: string | undefined;
  /** Increases with every change, when the source carries it. */
  readonly version: number | undefined;
  /** A silence matched at the last change: stored, not notified. */
  readonly silenced: boolean;
}

/** A change to the alert list. */
export type AlertsAction =
  /** The active alerts fetched from the REST API; `startedAt` is when the fetch began (ms). */
  | { readonly kind: 'snapshot'; readonly alerts: readonly AlertView[]; readonly startedAt: number }
  /** One alert after a change (an `alert.*` event, or the answer of an action). */
  | { readonly kind: 'change'; readonly alert: AlertView };

/** Resolved alerts kept on screen (the most recently updated); older ones are dropped. */
export const MAX_RESOLVED_SHOWN = 20;

const STATUSES: ReadonlySet<string> = new Set(['firing', 'acknowledged', 'snoozed', 'resolved']);
const SEVERITIES: ReadonlySet<string> = new Set(['S1', 'S2', 'S3']);
const STATUS_ORDER: Readonly<Record<AlertStatus, number>> = { firing: 0, snoozed: 1, acknowledged: 2, resolved: 3 };

/** An epoch-ms number or ISO text as ms; undefined when neither. */
function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function describeAction(action: unknown): string | undefined {
  if (typeof action === 'string') return action;
  if (typeof action !== 'object' || action === null) return undefined;
  const { type, mode, reason } = action as { type?: unknown; mode?: unknown; reason?: unknown };
  if (typeof type !== 'string') return undefined;
  return [type, typeof mode === 'string' ? `: ${mode}` : '', typeof reason === 'string' ? ` (${reason})` : ''].join('');
}

/** Normalizes an `AlertJson` or a stored alert record; undefined when a required field is missing. */
export function toAlertView(input: unknown): AlertView | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const a = input as Record<string, unknown>;
  const startsAt = toMs(a['startsAt']);
  const updatedAt = toMs(a['updatedAt']) ?? startsAt;
  const status = a['status'];
  const severity = a['severity'];
  if (typeof a['id'] !== 'string' || typeof status !== 'string' || !STATUSES.has(status) || typeof severity !== 'string' || !SEVERITIES.has(severity)) {
    return undefined;
  }
  if (startsAt === undefined || updatedAt === undefined) return undefined;
  const annotations = (typeof a['annotations'] === 'object' && a['annotations'] !== null ? a['annotations'] : {}) as Record<string, unknown>;
  const labels = (typeof a['labels'] === 'object' && a['labels'] !== null ? a['labels'] : {}) as Record<string, string>;
  const ruleId = typeof a['ruleId'] === 'string' ? a['ruleId'] : '';
  return {
    id: a['id'],
    ruleId,
    type: typeof a['type'] === 'string' ? a['type'] : '',
    severity: severity as AlertSeverity,
    labels,
    summary: typeof annotations['summary'] === 'string' && annotations['summary'] ? annotations['summary'] : ruleId || a['id'],
    description: typeof annotations['description'] === 'string' ? annotations['description'] : '',
    value: typeof a['value'] === 'number' ? a['value'] : undefined,
    status: status as AlertStatus,
    startsAt,
    updatedAt,
    acknowledgedBy: typeof a['acknowledgedBy'] === 'string' ? a['acknowledgedBy'] : undefined,
    snoozedUntil: toMs(a['snoozedUntil']),
    suggestedAction: describeAction(a['suggestedAction']),
    version: typeof a['version'] === 'number' ? a['version'] : undefined,
    silenced: a['silenced'] === true,
  };
}

/** The alert an `alerts` stream event carries (`alert.*` types, `data.alert`); undefined otherwise. */
export function alertFromEvent(event: CloudEvent): AlertView | undefined {
  if (!event.type.startsWith('alert.') || typeof event.data !== 'object' || event.data === null) return undefined;
  return toAlertView((event.data as { alert?: unknown }).alert);
}

/** Whether `candidate` is the same or a later state of the alert than `current`. */
export function isNotOlder(candidate: AlertView, current: AlertView): boolean {
  if (candidate.version !== undefined && current.version !== undefined) return candidate.version >= current.version;
  return candidate.updatedAt >= current.updatedAt;
}

/**
 * The alert list after `action`. A change or a listed alert replaces the shown one only when
 * it is not older, so events that arrived while the REST fetch was in flight are kept. A
 * snapshot also drops shown unresolved alerts it does not list that were last updated before
 * the fetch began (resolved during a gap). Keeps at most {@link MAX_RESOLVED_SHOWN} resolved ones.
 */
export function reduceAlerts(state: ReadonlyMap<string, AlertView>, action: AlertsAction): Map<string, AlertView> {
  const next = new Map(state);
  const incoming = action.kind === 'change' ? [action.alert] : action.alerts;
  for (const alert of incoming) {
    const current = next.get(alert.id);
    if (current === undefined || isNotOlder(alert, current)) next.set(alert.id, alert);
  }
  if (action.kind === 'snapshot') {
    const listed = new Set(action.alerts.map((a) => a.id));
    for (const [id, alert] of next) {
      if (!listed.has(id) && alert.status !== 'resolved' && alert.updatedAt < action.startedAt) next.delete(id);
    }
  }
  const resolved = [...next.values()].filter((a) => a.status === 'resolved').sort((a, b) => b.updatedAt - a.updatedAt);
  for (const old of resolved.slice(MAX_RESOLVED_SHOWN)) next.delete(old.id);
  return next;
}

/** Display order: firing, snoozed, acknowledged, resolved; then most severe; then most recently updated. */
export function sortAlerts(alerts: Iterable<AlertView>): AlertView[] {
  return [...alerts].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.severity.localeCompare(a.severity) || b.updatedAt - a.updatedAt || a.id.localeCompare(b.id),
  );
}
