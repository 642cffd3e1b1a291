import { alertFingerprint } from './alert-fingerprint';

/** One alert reaching S2 (raised at S2, or updated from S1 to S2). */
export interface S2Occurrence {
  /** The alert's id (one alert counts once however often it reaches S2). */
  alertId: string;
  /** Its rule kind, e.g. `price_change`. */
  kind: string;
  /** When it reached S2, ms since the epoch. */
  atMs: number;
}

/** Options of {@link findEscalations}. */
export interface EscalationOptions {
  /** How far back occurrences count, in ms (default 30 min). */
  windowMs?: number;
  /** Distinct S2 alerts of one kind needed within the window (default 2). */
  minAlerts?: number;
}

/** A decision to raise one S3 alert for a burst of S2 alerts of one kind. */
export interface Escalation {
  /** The rule kind whose S2 alerts burst. */
  kind: string;
  /** Always S3. */
  severity: 'S3';
  /** The distinct alerts counted, oldest first. */
  alertIds: string[];
  /** When the first of `alertIds` reached S2 (each alert's earliest occurrence in the window). */
  firstAtMs: number;
  /** When the last of `alertIds` reached S2 (each alert's earliest occurrence in the window). */
  lastAtMs: number;
  /** Labels of the S3 alert: `{rule: 'escalation', kind, escalation: 'S2_burst'}`. */
  labels: Record<string, string>;
  /** Its fingerprint: one per kind, so repeated decisions update the open escalation instead of adding one. */
  fingerprint: string;
}

/** Default escalation window: 30 minutes. */
export const DEFAULT_ESCALATION_WINDOW_MS = 30 * 60_000;
/** Default number of distinct S2 alerts that escalate: 2. */
export const DEFAULT_ESCALATION_MIN_ALERTS = 2;

/** The S2 occurrences still inside the window at `nowMs` (what the store keeps; older ones can be trimmed). */
export function recentOccurrences(
  occurrences: readonly S2Occurrence[],
  nowMs: number,
  windowMs = DEFAULT_ESCALATION_WINDOW_MS,
): S2Occurrence[] {
  return occurrences.filter((occurrence) => occurrence.atMs >= nowMs - windowMs && occurrence.atMs <= nowMs);
}

/**
 * "Two S2 alerts of the same rule kind within 30 min raise an S3". Exactly: occurrences are
 * grouped by `kind`; an occurrence counts when nowMs − windowMs ≤ atMs ≤ nowMs (both ends
 * included; later ones are ignored); each `alertId` counts once; a kind with at least
 * `minAlerts` distinct alerts yields an escalation. Alerts count whether or not they are
 * still open. Results are sorted by kind. Repeating the call while the burst lasts yields
 * the same fingerprint, so the store updates its open escalation instead of raising another.
 */
export function findEscalations(
  occurrences: readonly S2Occurrence[],
  nowMs: number,
  options: EscalationOptions = {},
): Escalation[] {
  const windowMs = options.windowMs ?? DEFAULT_ESCALATION_WINDOW_MS;
  const minAlerts = options.minAlerts ?? DEFAULT_ESCALATION_MIN_ALERTS;
  const byKind = new Map<string, Map<string, number>>();
  for (const { alertId, kind, atMs } of recentOccurrences(occurrences, nowMs, windowMs)) {
    const alerts = byKind.get(kind) ?? new Map<string, number>();
    alerts.set(alertId, Math.min(alerts.get(alertId) ?? atMs, atMs));
    byKind.set(kind, alerts);
  }
  const escalations: Escalation[] = [];
  for (const kind of [...byKind.keys()].sort()) {
    const alerts = byKind.get(kind) as Map<string, number>;
    if (alerts.size >= minAlerts) escalations.push(escalationOf(kind, alerts));
  }
  return escalations;
}

/** An escalation decided in event-time order (see {@link findEventTimeEscalations}). */
export interface EventTimeEscalation {
  /** The alerts of every escalating window that holds an added occurrence. */
  escalation: Escalation;
  /** When event-time order escalates: the end of the earliest such window, ms since the epoch. */
  atMs: number;
}

/**
 * The escalations that `added` occurrences take part in, decided as if every occurrence had
 * been seen in event-time order, whatever order they are committed in (replicas committing
 * concurrently, producers with different clocks, a backlog replayed). `findEscalations` is
 * asked at the time of each added occurrence and of each other occurrence up to one window
 * after it: an added occurrence older than `known` ones changes the decisions those made.
 * Only windows that hold an added occurrence count (the others were decided when their own
 * occurrences were committed). One result per kind, sorted by kind: the alerts of all its
 * escalating windows, and the end of the earliest one.
 * @param known occurrences already recorded (at least those from one window before the
 *   earliest added occurrence on)
 * @param added the occurrences being committed now
 */
export function findEventTimeEscalations(
  known: readonly S2Occurrence[],
  added: readonly S2Occurrence[],
  options: EscalationOptions = {},
): EventTimeEscalation[] {
  const windowMs = options.windowMs ?? DEFAULT_ESCALATION_WINDOW_MS;
  const decisions: EventTimeEscalation[] = [];
  for (const kind of [...new Set(added.map((occurrence) => occurrence.kind))].sort()) {
    const mine = new Set(added.filter((occurrence) => occurrence.kind === kind));
    const all = [...known.filter((occurrence) => occurrence.kind === kind), ...mine];
    const ends = [...new Set(all.map((occurrence) => occurrence.atMs))]
      .filter((end) => [...mine].some((occurrence) => occurrence.atMs <= end && end <= occurrence.atMs + windowMs))
      .sort((a, b) => a - b);
    let atMs: number | undefined;
    const alerts = new Map<string, number>();
    for (const end of ends) {
      const window = all.filter((occurrence) => end - windowMs <= occurrence.atMs && occurrence.atMs <= end);
      if (!window.some((occurrence) => mine.has(occurrence))) continue;
      const [escalation] = findEscalations(window, end, options);
      if (!escalation) continue;
      atMs ??= end;
      for (const occurrence of window) alerts.set(occurrence.alertId, Math.min(alerts.get(occurrence.alertId) ?? occurrence.atMs, occurrence.atMs));
    }
    if (atMs !== undefined) decisions.push({ escalation: escalationOf(kind, alerts), atMs });
  }
  return decisions;
}

/** The escalation of `kind` over `alerts` (alert id → when it reached S2), oldest first. */
export function escalationOf(kind: string, alerts: ReadonlyMap<string, number>): Escalation {
  const sorted = [...alerts.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const labels = { rule: 'escalation', kind, escalation: 'S2_burst' };
  return {
    kind,
    severity: 'S3',
    alertIds: sorted.map(([alertId]) => alertId),
    firstAtMs: (sorted[0] as [string, number])[1],
    lastAtMs: Math.max(...sorted.map(([, atMs]) => atMs)),
    labels,
    fingerprint: alertFingerprint(labels),
  };
}

/** Whether any kind has at least 2 distinct S2 alerts within `windowMs` before `nowMs` (see {@link findEscalations}). */
export function shouldEscalate(
  recentS2: readonly S2Occurrence[],
  nowMs: number,
  windowMs = DEFAULT_ESCALATION_WINDOW_MS,
): boolean {
  return findEscalations(recentS2, nowMs, { windowMs }).length > 0;
}
