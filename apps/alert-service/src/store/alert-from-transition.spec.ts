import type { AlertRecord } from '../alerts';
import { alertFingerprint, findEscalations } from '../rules';
import { changeForEscalation, changeForTransition } from './alert-from-transition';
import { transitionOf } from './test/store-test-kit';

const T0 = Date.parse('2025-03-01T12:00:00Z');

describe('changeForTransition', () => {
  const raise = transitionOf({ transition: 'raise', severity: 'S2', value: 111, atMs: T0 });

  it('raises a new firing alert at version 1 with the transition labels, value and annotations', () => {
    const change = changeForTransition(raise, undefined, 'new-id');
    expect(change).toEqual({
      type: 'alert.raised',
      alert: {
        id: 'new-id',
        ruleId: 'btc-above',
        type: 'price_threshold',
        severity: 'S2',
        labels: raise.transition.labels,
        fingerprint: alertFingerprint(raise.transition.labels),
        annotations: { summary: 'btc-above raise' },
        value: 111,
        startsAt: T0,
        updatedAt: T0,
        status: 'firing',
        version: 1,
      },
    });
  });

  it('updates the open alert on a raise or update, keeping its status and identity', () => {
    const open = { ...(changeForTransition(raise, undefined, 'a1')?.alert as AlertRecord), status: 'acknowledged' as const };
    const update = changeForTransition(transitionOf({ transition: 'update', severity: 'S3', value: 130, atMs: T0 + 5 }), open, 'unused');
    expect(update).toMatchObject({ type: 'alert.updated', alert: { id: 'a1', status: 'acknowledged', severity: 'S3', value: 130, startsAt: T0, updatedAt: T0 + 5, version: 2 } });
    expect(changeForTransition(raise, open, 'unused')?.type).toBe('alert.updated');
  });

  it('raises anew on an update with no open alert, and does nothing on a resolve with none', () => {
    expect(changeForTransition(transitionOf({ transition: 'update', atMs: T0 }), undefined, 'b1')?.type).toBe('alert.raised');
    expect(changeForTransition(transitionOf({ transition: 'resolve', atMs: T0 }), undefined, 'b1')).toBeUndefined();
  });

  it('resolves the open alert with endsAt, the rule as resolver, and no snooze left', () => {
    const open = { ...(changeForTransition(raise, undefined, 'a1')?.alert as AlertRecord), status: 'snoozed' as const, snoozedUntil: T0 + 10 };
    const change = changeForTransition(transitionOf({ transition: 'resolve', value: 90, atMs: T0 + 9 }), open, 'unused');
    expect(change).toMatchObject({ type: 'alert.resolved', alert: { status: 'resolved', endsAt: T0 + 9, resolvedBy: 'rule:btc-above', value: 90, version: 2 } });
    expect(change?.alert.snoozedUntil).toBeUndefined();
  });
});

describe('changeForEscalation', () => {
  const burst = (ids: string[]) =>
    findEscalations(ids.map((alertId, i) => ({ alertId, kind: 'price_change', atMs: T0 + i })), T0 + 10)[0] as NonNullable<ReturnType<typeof findEscalations>[0]>;

  it('raises one S3 escalation naming its source alerts', () => {
    const change = changeForEscalation(burst(['a', 'b']), undefined, 'e1', 1_800_000, T0 + 10);
    expect(change).toMatchObject({
      type: 'alert.escalated',
      alert: { id: 'e1', ruleId: 'escalation', type: 'price_change', severity: 'S3', value: 2, escalation: { sourceAlertIds: ['a', 'b'], kind: 'price_change', windowMs: 1_800_000 } },
    });
  });

  it('adds new sources to the open escalation, and changes nothing when it already lists them', () => {
    const open = changeForEscalation(burst(['a', 'b']), undefined, 'e1', 1_800_000, T0)?.alert as AlertRecord;
    expect(changeForEscalation(burst(['a', 'b']), open, 'x', 1_800_000, T0 + 1)).toBeUndefined();
    expect(changeForEscalation(burst(['b', 'c']), open, 'x', 1_800_000, T0 + 1)).toMatchObject({
      type: 'alert.updated',
      alert: { id: 'e1', version: 2, value: 3, escalation: { sourceAlertIds: ['a', 'b', 'c'] } },
    });
  });
});
