import { ALERT_STATUSES, type AlertRecord, type AlertStatus } from '../alerts';
import { applyAction, LEGAL_TRANSITIONS, nextStatus, type AlertAction } from './alert-status-transitions';

const T0 = Date.parse('2025-03-01T12:00:00Z');

function record(status: AlertStatus, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'a1',
    ruleId: 'r',
    type: 'price_threshold',
    severity: 'S2',
    labels: { rule: 'r' },
    fingerprint: 'f',
    annotations: { summary: 's' },
    value: 1,
    startsAt: T0,
    updatedAt: T0,
    status,
    version: 3,
    ...extra,
  };
}

const ACTIONS: AlertAction[] = ['acknowledge', 'snooze', 'unsnooze', 'resolve'];
// The table of the TSDoc, written out again: a change to one must be a change to the other.
const EXPECTED: Record<AlertStatus, Record<AlertAction, AlertStatus | undefined>> = {
  firing: { acknowledge: 'acknowledged', snooze: 'snoozed', unsnooze: undefined, resolve: 'resolved' },
  acknowledged: { acknowledge: undefined, snooze: 'snoozed', unsnooze: undefined, resolve: 'resolved' },
  snoozed: { acknowledge: 'acknowledged', snooze: 'snoozed', unsnooze: 'firing', resolve: 'resolved' },
  resolved: { acknowledge: undefined, snooze: undefined, unsnooze: undefined, resolve: undefined },
};

describe('alert status transitions', () => {
  describe.each(ALERT_STATUSES)('from %s', (status) => {
    it.each(ACTIONS)('%s leads where the table says, or is refused as an illegal transition', (action) => {
      const expected = EXPECTED[status][action];
      expect(nextStatus(status, action)).toBe(expected);
      const act = () => applyAction(record(status), action, { actor: 'user:a', nowMs: T0 + 1000, minutes: 5 });
      if (expected) expect(act()).toMatchObject({ status: expected, version: 4, updatedAt: T0 + 1000 });
      else expect(act).toThrow(expect.objectContaining({ code: 'ERR_ILLEGAL_TRANSITION', status, action }));
    });
  });

  it('keeps the table and LEGAL_TRANSITIONS in step', () => {
    for (const status of ALERT_STATUSES) {
      for (const action of ACTIONS) expect(LEGAL_TRANSITIONS[status][action]).toBe(EXPECTED[status][action]);
    }
  });

  it('records who acknowledged and when, and clears a snooze', () => {
    const acked = applyAction(record('snoozed', { snoozedUntil: T0 + 60_000, snoozedBy: 'user:b' }), 'acknowledge', { actor: 'user:a', nowMs: T0 });
    expect(acked).toMatchObject({ acknowledgedBy: 'user:a', acknowledgedAt: T0 });
    expect(acked.snoozedUntil).toBeUndefined();
    expect(acked.snoozedBy).toBeUndefined();
  });

  it('snoozes until now plus the minutes given, and resolves with endsAt and who resolved', () => {
    expect(applyAction(record('firing'), 'snooze', { actor: 'user:a', nowMs: T0, minutes: 30 })).toMatchObject({ snoozedUntil: T0 + 1_800_000, snoozedBy: 'user:a' });
    expect(applyAction(record('acknowledged'), 'resolve', { actor: 'user:a', nowMs: T0 })).toMatchObject({ endsAt: T0, resolvedBy: 'user:a' });
  });
});
