import { FORMAT_VALIDATORS } from '../testing/format-validators';
import { hostileChange, resolvedChange, sampleChange } from '../testing/alert-changes';
import { webhookPayload } from '../webhook-payload';
import { ALERTMANAGER_ZERO_TIME, alertmanagerBody } from './alertmanager-body';

describe('alertmanagerBody', () => {
  it("is Alertmanager's version 4 webhook body of one firing alert", () => {
    const change = sampleChange();
    const body = alertmanagerBody(webhookPayload(change), 'ops');

    expect(FORMAT_VALIDATORS.alertmanager(body)).toEqual([]);
    const labels = { alertname: 'btc-above-100k', kind: 'price_threshold', rule: 'btc-above-100k', symbol: 'BTC' };
    const annotations = { severity: 'S2', value: '100500', summary: 'BTC above 100000', description: 'BTC traded at 100500, above the S2 level 100000.' };
    expect(body).toEqual({
      version: '4',
      groupKey: '{}:{alertname="btc-above-100k", kind="price_threshold", rule="btc-above-100k", symbol="BTC"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'ops',
      groupLabels: labels,
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: '',
      alerts: [
        {
          status: 'firing',
          labels,
          annotations,
          startsAt: '2026-03-01T12:00:00.000Z',
          endsAt: ALERTMANAGER_ZERO_TIME,
          generatorURL: '',
          fingerprint: change.alert.fingerprint,
        },
      ],
    });
  });

  it('maps a resolved alert to status "resolved" with its endsAt, under the same groupKey', () => {
    const raised = sampleChange();
    const firing = alertmanagerBody(webhookPayload(raised), 'ops');
    const resolved = alertmanagerBody(webhookPayload(resolvedChange(raised)), 'ops');

    expect(FORMAT_VALIDATORS.alertmanager(resolved)).toEqual([]);
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', startsAt: '2026-03-01T12:00:00.000Z', endsAt: '2026-03-01T12:01:00.000Z' });
    expect(resolved.groupKey).toBe(firing.groupKey);
  });

  it('keeps acknowledged and snoozed alerts firing, and a severity change out of the labels', () => {
    const raised = sampleChange();
    const acknowledged = sampleChange({ type: 'alert.acknowledged', alert: { ...raised.alert, status: 'acknowledged', acknowledgedBy: 'user:ana', severity: 'S3', version: 2 } });
    const body = alertmanagerBody(webhookPayload(acknowledged), 'ops');

    expect(body.status).toBe('firing');
    expect(body.alerts[0]?.endsAt).toBe(ALERTMANAGER_ZERO_TIME);
    expect(body.groupKey).toBe(alertmanagerBody(webhookPayload(raised), 'ops').groupKey);
    expect(body.commonAnnotations['severity']).toBe('S3');
  });

  it("keeps a rule's own alertname label, and quotes label values in the groupKey", () => {
    const change = hostileChange({ alert: { labels: { alertname: 'custom', note: 'a"b\\c' } } });
    const body = alertmanagerBody(webhookPayload(change), 'ops');

    expect(body.alerts[0]?.labels).toEqual({ alertname: 'custom', note: 'a"b\\c' });
    expect(body.groupKey).toBe('{}:{alertname="custom", note="a\\"b\\\\c"}');
  });
});
