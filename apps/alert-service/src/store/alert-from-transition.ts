import { MAX_EVIDENCE, type AlertEventType, type AlertEvidence, type AlertRecord, type AlertType } from '../alerts';
import type { Escalation, RuleKind, Transition } from '../rules';

/** A rule-engine transition and the kind of the rule that made it. */
export interface RuleTransition {
  /** The rule's kind (the alert's `type`), or `feed_status` for a stale feed's alert. */
  kind: AlertType;
  /** What `step` or `tick` returned. */
  transition: Transition;
  /** The events that prove it (the raise, the severity change, the clear), kept in the alert's `evidence`. */
  evidence?: readonly AlertEvidence[];
}

/**
 * `kept` with `added` appended, at most {@link MAX_EVIDENCE} entries: the first one (what raised
 * the alert: "why did it fire") and the newest after it. An entry already kept (the same stream
 * and id) is not added twice.
 */
export function appendEvidence(kept: readonly AlertEvidence[] | undefined, added: readonly AlertEvidence[] | undefined): AlertEvidence[] | undefined {
  if (!added || added.length === 0) return kept ? [...kept] : undefined;
  const all = [...(kept ?? [])];
  for (const entry of added) if (!all.some((known) => known.id === entry.id && known.stream === entry.stream && known.type === entry.type)) all.push(entry);
  return all.length <= MAX_EVIDENCE ? all : [all[0] as AlertEvidence, ...all.slice(all.length - MAX_EVIDENCE + 1)];
}

/** The alert change a transition makes: the event type and the record after it. */
export interface RecordChange {
  type: AlertEventType;
  alert: AlertRecord;
}

function annotationsOf(transition: Transition): Record<string, string> {
  const annotations: Record<string, string> = { summary: transition.annotations.summary };
  if (transition.annotations.description !== undefined) annotations['description'] = transition.annotations.description;
  return annotations;
}

/**
 * The alert change for a transition, given the open alert of its fingerprint (if any). Pure.
 * - `raise`: a new `firing` alert (version 1, `alert.raised`); when an alert is still open
 *   for the fingerprint, that alert is updated instead (`alert.updated`).
 * - `update`: the open alert takes the new severity, value, annotations and action
 *   (`alert.updated`, status unchanged); with no open alert (a person resolved it while the
 *   condition held) a new alert is raised.
 * - `resolve`: the open alert becomes `resolved` with `endsAt` (`alert.resolved`); with no
 *   open alert there is nothing to do (`undefined`).
 * @param newId the id a new alert gets
 */
export function changeForTransition(
  { kind, transition, evidence }: RuleTransition,
  open: AlertRecord | undefined,
  newId: string,
): RecordChange | undefined {
  const at = transition.atMs;
  const withEvidence = (alert: AlertRecord, kept: readonly AlertEvidence[] | undefined, added: readonly AlertEvidence[] | undefined): AlertRecord => {
    const merged = appendEvidence(kept, added);
    if (merged) alert.evidence = merged;
    return alert;
  };
  if (transition.kind === 'resolve') {
    if (!open) return undefined;
    const alert: AlertRecord = {
      ...open,
      status: 'resolved',
      value: transition.value,
      annotations: annotationsOf(transition),
      endsAt: at,
      updatedAt: at,
      resolvedBy: `rule:${transition.ruleId}`,
      version: open.version + 1,
    };
    delete alert.snoozedUntil;
    delete alert.snoozedBy;
    return { type: 'alert.resolved', alert: withEvidence(alert, open.evidence, evidence) };
  }
  if (open) {
    const alert: AlertRecord = {
      ...open,
      severity: transition.severity,
      value: transition.value,
      annotations: annotationsOf(transition),
      updatedAt: at,
      version: open.version + 1,
    };
    if (transition.action) alert.suggestedAction = transition.action;
    else delete alert.suggestedAction;
    return { type: 'alert.updated', alert: withEvidence(alert, open.evidence, evidence) };
  }
  const alert: AlertRecord = {
    id: newId,
    ruleId: transition.ruleId,
    type: kind,
    severity: transition.severity,
    labels: transition.labels,
    fingerprint: transition.fingerprint,
    annotations: annotationsOf(transition),
    value: transition.value,
    startsAt: at,
    updatedAt: at,
    status: 'firing',
    version: 1,
  };
  if (transition.action) alert.suggestedAction = transition.action;
  // An update that finds no open alert (a person resolved it while the condition held) raises a new one: its evidence is that raise.
  return { type: 'alert.raised', alert: withEvidence(alert, undefined, evidence?.map((entry) => ({ ...entry, type: 'raise' as const }))) };
}

/** Rule id of escalation alerts. */
export const ESCALATION_RULE_ID = 'escalation';

/**
 * The escalation alert for a burst of S2 alerts: a new S3 alert (`alert.escalated`), or,
 * when one is open for the kind and the burst now counts other alerts, that alert with the
 * new source list (`alert.updated`). `undefined` when the open escalation already says it all.
 */
export function changeForEscalation(
  escalation: Escalation,
  open: AlertRecord | undefined,
  newId: string,
  windowMs: number,
  atMs: number,
): RecordChange | undefined {
  const minutes = Math.round(windowMs / 60_000);
  const summary = `${escalation.alertIds.length} major (S2) ${escalation.kind} alerts within ${minutes} min`;
  const details = { sourceAlertIds: escalation.alertIds, kind: escalation.kind as RuleKind, windowMs };
  if (open) {
    const known = new Set(open.escalation?.sourceAlertIds ?? []);
    if (escalation.alertIds.every((id) => known.has(id))) return undefined;
    const merged = [...known, ...escalation.alertIds.filter((id) => !known.has(id))];
    const alert: AlertRecord = {
      ...open,
      value: merged.length,
      annotations: { summary: `${merged.length} major (S2) ${escalation.kind} alerts within ${minutes} min` },
      escalation: { ...details, sourceAlertIds: merged },
      updatedAt: atMs,
      version: open.version + 1,
    };
    return { type: 'alert.updated', alert };
  }
  const alert: AlertRecord = {
    id: newId,
    ruleId: ESCALATION_RULE_ID,
    type: escalation.kind as RuleKind,
    severity: 'S3',
    labels: escalation.labels,
    fingerprint: escalation.fingerprint,
    annotations: { summary },
    value: escalation.alertIds.length,
    startsAt: atMs,
    updatedAt: atMs,
    status: 'firing',
    escalation: details,
    version: 1,
  };
  return { type: 'alert.escalated', alert };
}
