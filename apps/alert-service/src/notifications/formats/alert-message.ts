import type { AlertEventType } from '../../alerts';
import { SEVERITY_NAMES, type Severity } from '../../rules';
import type { WebhookPayload } from '../webhook-payload';

/** One named value of a chat message, e.g. `Value` / `100500`. Raw text: each format escapes it. */
export interface MessageField {
  name: string;
  value: string;
  /** Short enough to sit beside another field. */
  short: boolean;
}

/**
 * What the chat formats (Slack, Discord, Telegram) say about one alert change, as raw text:
 * each format escapes and cuts it to its own limits. Built once here so the three say the same.
 */
export interface AlertMessage {
  /** e.g. `🔴 [S3 critical] Firing: BTC above 100000`. */
  title: string;
  /** The rule's `description` annotation, if any. */
  description?: string;
  /** Severity, status, value, rule, times, labels...; non-empty values only. */
  fields: MessageField[];
  /** `alert <id> · version <n>`. */
  footer: string;
  /** When the change happened, ISO 8601. */
  at: string;
  /** Colour of the message: by severity, green once resolved (0xRRGGBB). */
  color: number;
}

/** What each change is called in a message title. */
const HEADLINES: Readonly<Record<AlertEventType, string>> = {
  'alert.raised': 'Firing',
  'alert.updated': 'Updated',
  'alert.acknowledged': 'Acknowledged',
  'alert.snoozed': 'Snoozed',
  'alert.resolved': 'Resolved',
  'alert.escalated': 'Escalated',
};

/** Colours by severity (critical red, major orange, info blue) and of a resolved alert (green). */
export const SEVERITY_COLORS: Readonly<Record<Severity, number>> = { S1: 0x1976d2, S2: 0xf57c00, S3: 0xd32f2f };
export const RESOLVED_COLOR = 0x2e7d32;

const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = { S1: '🔵', S2: '🟠', S3: '🔴' };
const RESOLVED_EMOJI = '✅';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The alert's status in words: who acknowledged it, until when it is snoozed. */
function statusText(payload: WebhookPayload): string {
  const { alert } = payload;
  if (alert.status === 'acknowledged' && alert.acknowledgedBy) return `acknowledged by ${alert.acknowledgedBy}`;
  if (alert.status === 'snoozed' && alert.snoozedUntil !== undefined) return `snoozed until ${iso(alert.snoozedUntil)}`;
  if (alert.status === 'resolved' && alert.resolvedBy) return `resolved by ${alert.resolvedBy}`;
  return alert.status;
}

/** The message of one change (see {@link AlertMessage}). */
export function alertMessage(payload: WebhookPayload): AlertMessage {
  const { alert } = payload;
  const resolved = alert.status === 'resolved';
  const severity = `${alert.severity} ${SEVERITY_NAMES[alert.severity]}`;
  const what = alert.annotations['summary'] || alert.ruleId;
  const labels = Object.keys(alert.labels)
    .sort()
    .map((name) => `${name}=${alert.labels[name]}`);
  const fields: MessageField[] = [
    { name: 'Severity', value: severity, short: true },
    { name: 'Status', value: statusText(payload), short: true },
    { name: 'Value', value: String(alert.value), short: true },
    { name: 'Rule', value: `${alert.ruleId} (${alert.type})`, short: true },
    { name: 'Started', value: iso(alert.startsAt), short: true },
    ...(resolved && alert.endsAt !== undefined ? [{ name: 'Ended', value: iso(alert.endsAt), short: true }] : []),
    { name: 'Changed by', value: payload.actor, short: true },
    ...(labels.length > 0 ? [{ name: 'Labels', value: labels.join('\n'), short: false }] : []),
    ...(alert.suggestedAction
      ? [{ name: 'Suggested action', value: `${alert.suggestedAction.type} ${alert.suggestedAction.mode}${alert.suggestedAction.reason ? `: ${alert.suggestedAction.reason}` : ''}`, short: false }]
      : []),
    ...(alert.escalation
      ? [{ name: 'Escalation', value: `${alert.escalation.sourceAlertIds.length} ${alert.escalation.kind} alerts within ${alert.escalation.windowMs / 1000} s`, short: false }]
      : []),
  ];
  return {
    title: `${resolved ? RESOLVED_EMOJI : SEVERITY_EMOJI[alert.severity]} [${severity}] ${HEADLINES[payload.type]}: ${what}`,
    ...(alert.annotations['description'] ? { description: alert.annotations['description'] } : {}),
    fields: fields.filter((field) => field.value.trim() !== ''),
    footer: `alert ${alert.id} · version ${alert.version}`,
    at: iso(payload.at),
    color: resolved ? RESOLVED_COLOR : SEVERITY_COLORS[alert.severity],
  };
}
