import type { CloudEvent } from '@rebal/gateway-client';
import { alertFromEvent, MAX_RESOLVED_SHOWN, reduceAlerts, sortAlerts, toAlertView, type AlertView } from './alert-view-model';

const T0 = Date.parse('2024-04-05T10:00:00.000Z');

/** A stored record as the `alerts` stream carries it (epoch ms). */
function record(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    ruleId: 'btc-above-70k',
    type: 'price_threshold',
    severity: 'S2',
    labels: { symbol: 'BTC' },
    fingerprint: 'fp',
    annotations: { summary: `BTC above 70k (${id})`, description: 'price 70500' },
    value: 70_500,
    startsAt: T0,
    updatedAt: T0,
    status: 'firing',
    version: 1,
    ...overrides,
  };
}

const event = (type: string, alert: Record<string, unknown>): CloudEvent => ({
  specversion: '1.0',
  id: `${type}-${String(alert['id'])}-${String(alert['version'])}`,
  source: '/alert-service',
  type,
  time: new Date(T0).toISOString(),
  subject: String(alert['id']),
  data: { alert },
});

const view = (input: Record<string, unknown>): AlertView => {
  const alert = toAlertView(input);
  if (!alert) throw new Error('not an alert');
  return alert;
};

describe('toAlertView', () => {
  it('reads the REST form (ISO times) and the stream form (epoch ms) alike', () => {
    const fromStream = view(record('a-1', { snoozedUntil: T0 + 60_000, suggestedAction: { type: 'apply_policy', mode: 'Slow' } }));
    const fromApi = view({ ...record('a-1'), startsAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), snoozedUntil: new Date(T0 + 60_000).toISOString(), suggestedAction: { type: 'apply_policy', mode: 'Slow' } });
    expect(fromApi).toEqual(fromStream);
    expect(fromStream).toMatchObject({ startsAt: T0, snoozedUntil: T0 + 60_000, summary: 'BTC above 70k (a-1)', suggestedAction: 'apply_policy: Slow', silenced: false });
    expect(view(record('a-2', { silenced: true })).silenced).toBe(true);
  });

  it('refuses records without id, status or severity', () => {
    expect(toAlertView(record('a', { status: 'exploded' }))).toBeUndefined();
    expect(toAlertView(record('a', { severity: 'S9' }))).toBeUndefined();
    expect(toAlertView({ status: 'firing' })).toBeUndefined();
  });
});

describe('reduceAlerts', () => {
  it('applies alert events in order and ignores an older state arriving late', () => {
    let state = new Map<string, AlertView>();
    const apply = (type: string, alert: Record<string, unknown>) => {
      const change = alertFromEvent(event(type, alert));
      if (change) state = reduceAlerts(state, { kind: 'change', alert: change });
    };
    apply('alert.raised', record('a-1'));
    apply('alert.acknowledged', record('a-1', { status: 'acknowledged', acknowledgedBy: 'user:ops', version: 2, updatedAt: T0 + 1 }));
    apply('alert.raised', record('a-1'));
    expect(state.get('a-1')).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'user:ops', version: 2 });
  });

  it('merges a REST snapshot without losing events that arrived during the fetch', () => {
    const startedAt = T0 + 1_000;
    let state = new Map<string, AlertView>();
    // Shown before a gap, resolved during it: not in the snapshot, so it goes.
    state = reduceAlerts(state, { kind: 'change', alert: view(record('gone')) });
    // Raised while the fetch was in flight (updated after it began): stays.
    state = reduceAlerts(state, { kind: 'change', alert: view(record('new', { updatedAt: startedAt + 5 })) });
    // Snoozed by an event newer than the snapshot's copy: the event wins.
    state = reduceAlerts(state, { kind: 'change', alert: view(record('kept', { status: 'snoozed', version: 3, updatedAt: startedAt + 10 })) });
    // The snapshot lacks versions (REST form), so updatedAt decides.
    const snapshot = [view({ ...record('kept'), version: undefined }), view({ ...record('listed'), version: undefined })];
    state = reduceAlerts(state, { kind: 'snapshot', alerts: snapshot, startedAt });

    expect([...state.keys()].sort()).toEqual(['kept', 'listed', 'new']);
    expect(state.get('kept')?.status).toBe('snoozed');
  });

  it('keeps only the most recent resolved alerts', () => {
    let state = new Map<string, AlertView>();
    for (let i = 0; i < MAX_RESOLVED_SHOWN + 5; i++) {
      state = reduceAlerts(state, { kind: 'change', alert: view(record(`r-${i}`, { status: 'resolved', updatedAt: T0 + i })) });
    }
    state = reduceAlerts(state, { kind: 'change', alert: view(record('active')) });
    expect(state.size).toBe(MAX_RESOLVED_SHOWN + 1);
    expect(state.has('r-0')).toBe(false);
    expect(state.has(`r-${MAX_RESOLVED_SHOWN + 4}`)).toBe(true);
  });
});

describe('sortAlerts', () => {
  it('shows firing alerts first, most severe first, resolved last', () => {
    const alerts = [
      view(record('resolved-s3', { status: 'resolved', severity: 'S3' })),
      view(record('ack-s3', { status: 'acknowledged', severity: 'S3' })),
      view(record('firing-s1', { severity: 'S1' })),
      view(record('firing-s3', { severity: 'S3' })),
      view(record('snoozed-s2', { status: 'snoozed' })),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual(['firing-s3', 'firing-s1', 'snoozed-s2', 'ack-s3', 'resolved-s3']);
  });
});
