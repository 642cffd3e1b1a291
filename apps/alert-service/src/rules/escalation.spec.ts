import { alertFingerprint } from './alert-fingerprint';
import { findEscalations, recentOccurrences, shouldEscalate, type S2Occurrence } from './escalation';

const NOW = 1_740_830_400_000;
const MIN = 60_000;
const s2 = (alertId: string, kind: string, minutesAgo: number): S2Occurrence => ({ alertId, kind, atMs: NOW - minutesAgo * MIN });

describe('findEscalations', () => {
  it('raises one S3 for two S2 alerts of the same kind within 30 minutes', () => {
    const [escalation, ...more] = findEscalations([s2('a1', 'price_change', 29), s2('a2', 'price_change', 1)], NOW);
    expect(more).toEqual([]);
    expect(escalation).toEqual({
      kind: 'price_change',
      severity: 'S3',
      alertIds: ['a1', 'a2'],
      firstAtMs: NOW - 29 * MIN,
      lastAtMs: NOW - MIN,
      labels: { rule: 'escalation', kind: 'price_change', escalation: 'S2_burst' },
      fingerprint: alertFingerprint({ rule: 'escalation', kind: 'price_change', escalation: 'S2_burst' }),
    });
  });

  it('does not mix kinds', () => {
    expect(findEscalations([s2('a1', 'price_change', 5), s2('a2', 'portfolio_drift', 4)], NOW)).toEqual([]);
    expect(shouldEscalate([s2('a1', 'price_change', 5), s2('a2', 'portfolio_drift', 4)], NOW)).toBe(false);
  });

  it('counts an alert once however often it reached S2', () => {
    expect(shouldEscalate([s2('a1', 'risk_threshold', 20), s2('a1', 'risk_threshold', 2)], NOW)).toBe(false);
  });

  it('includes the window start and excludes older and future occurrences', () => {
    expect(shouldEscalate([s2('a1', 'price_change', 30), s2('a2', 'price_change', 0)], NOW)).toBe(true);
    expect(shouldEscalate([s2('a1', 'price_change', 30.001), s2('a2', 'price_change', 0)], NOW)).toBe(false);
    expect(shouldEscalate([s2('a1', 'price_change', 1), s2('a2', 'price_change', -1)], NOW)).toBe(false);
  });

  it('honours a custom window and minimum, and sorts escalations by kind', () => {
    const occurrences = [s2('a1', 'service_health', 50), s2('a2', 'service_health', 40), s2('b1', 'price_change', 3), s2('b2', 'price_change', 2)];
    expect(shouldEscalate(occurrences, NOW, 60 * MIN)).toBe(true);
    expect(findEscalations(occurrences, NOW, { windowMs: 60 * MIN }).map((e) => e.kind)).toEqual(['price_change', 'service_health']);
    expect(findEscalations(occurrences, NOW, { windowMs: 60 * MIN, minAlerts: 3 })).toEqual([]);
  });

  it('yields the same fingerprint for a kind on every call, so the store updates one escalation', () => {
    const first = findEscalations([s2('a1', 'price_change', 10), s2('a2', 'price_change', 5)], NOW);
    const later = findEscalations([s2('a2', 'price_change', 5), s2('a3', 'price_change', 0)], NOW + 10 * MIN);
    expect(later[0]?.fingerprint).toBe(first[0]?.fingerprint);
  });
});

describe('recentOccurrences', () => {
  it('keeps only what is inside the window', () => {
    expect(recentOccurrences([s2('old', 'k', 31), s2('new', 'k', 3)], NOW).map((o) => o.alertId)).toEqual(['new']);
  });
});
