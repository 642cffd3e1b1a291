import { filterAlerts, filterChoices, NO_FILTERS } from './alert-filters';
import { toAlertView, type AlertView } from './alert-view-model';

function alert(id: string, overrides: Record<string, unknown>): AlertView {
  const view = toAlertView({ id, ruleId: 'r', type: 'price_threshold', severity: 'S2', labels: {}, annotations: {}, status: 'firing', startsAt: 0, updatedAt: 0, ...overrides });
  if (!view) throw new Error('not an alert');
  return view;
}

const alerts = [
  alert('btc-s3', { severity: 'S3', ruleId: 'btc-above', labels: { symbol: 'BTC' } }),
  alert('btc-ack', { status: 'acknowledged', ruleId: 'btc-above', labels: { symbol: 'BTC' } }),
  alert('eth-res', { status: 'resolved', ruleId: 'eth-below', labels: { symbol: 'ETH' } }),
  alert('svc', { severity: 'S1', ruleId: 'svc-down', type: 'service_health' }),
];
const ids = (list: AlertView[]) => list.map((a) => a.id);

describe('alert filters', () => {
  it('lets everything through by default, and filters by severity, status, rule and symbol together', () => {
    expect(ids(filterAlerts(alerts, NO_FILTERS))).toEqual(['btc-s3', 'btc-ack', 'eth-res', 'svc']);
    expect(ids(filterAlerts(alerts, { ...NO_FILTERS, severity: 'S2' }))).toEqual(['btc-ack', 'eth-res']);
    expect(ids(filterAlerts(alerts, { ...NO_FILTERS, status: 'active' }))).toEqual(['btc-s3', 'btc-ack', 'svc']);
    expect(ids(filterAlerts(alerts, { ...NO_FILTERS, status: 'resolved' }))).toEqual(['eth-res']);
    expect(ids(filterAlerts(alerts, { ...NO_FILTERS, rule: 'btc-above', status: 'firing' }))).toEqual(['btc-s3']);
    expect(ids(filterAlerts(alerts, { ...NO_FILTERS, symbol: 'ETH' }))).toEqual(['eth-res']);
  });

  it('offers the known rules and the symbols of the alerts', () => {
    expect(filterChoices(alerts, ['zz-rule', 'btc-above'])).toEqual({ rules: ['btc-above', 'eth-below', 'svc-down', 'zz-rule'], symbols: ['BTC', 'ETH'] });
  });
});
