import type { WebhookPayload } from '../webhook-payload';

/** One alert of an Alertmanager webhook body. */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; Go's zero time `0001-01-01T00:00:00Z` while firing, as Alertmanager sends it. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The Alertmanager webhook body, version 4 (Alertmanager's `webhook_config`). */
export interface AlertmanagerBody {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** Alertmanager's `endsAt` of an alert that has not ended: Go's zero `time.Time`. */
export const ALERTMANAGER_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Labels as Alertmanager prints a label set: `{a="1", b="2"}`, sorted by name, values quoted. */
function labelSetText(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}

/**
 * The body of one change in Alertmanager's webhook format, so a receiver written for
 * Alertmanager takes our alerts unchanged. One notification carries one alert, as
 * Alertmanager does with `group_by: ['...']`: the group is the alert, so `groupLabels`,
 * `commonLabels` and the labels of the alert are the same set, and `groupKey` is
 * `{}:<that set>` (root route, then the group's labels), stable for the alert's lifetime.
 *
 * - `labels`: the alert's labels plus `alertname` (the rule id) unless it has one; labels are
 *   its identity, so nothing that changes (severity, value) is among them.
 * - `annotations`: its annotations plus `severity` (`S1`..`S3`) and `value`, unless present.
 * - `status`: `resolved` once the alert is resolved, else `firing` (acknowledged and snoozed
 *   alerts still fire); `endsAt` is its end time once resolved, Go's zero time before.
 * - `fingerprint`: the alert's own (a hash of its labels); `externalURL` and `generatorURL`
 *   are empty (the service has no public URL setting); `truncatedAlerts` is 0.
 *
 * @param receiver the target's name, sent as `receiver`
 */
export function alertmanagerBody(payload: WebhookPayload, receiver: string): AlertmanagerBody {
  const { alert } = payload;
  const status = alert.status === 'resolved' ? 'resolved' : 'firing';
  const labels = { alertname: alert.ruleId, ...alert.labels };
  const annotations = { severity: alert.severity, value: String(alert.value), ...alert.annotations };
  return {
    version: '4',
    groupKey: `{}:${labelSetText(labels)}`,
    truncatedAlerts: 0,
    status,
    receiver,
    groupLabels: labels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: new Date(alert.startsAt).toISOString(),
        endsAt: status === 'resolved' ? new Date(alert.endsAt ?? payload.at).toISOString() : ALERTMANAGER_ZERO_TIME,
        generatorURL: '',
        fingerprint: alert.fingerprint,
      },
    ],
  };
}
