import { alertFingerprint } from './alert-fingerprint';
import { findEscalations, findEventTimeEscalations, recentOccurrences, shouldEscalate, type S2Occurrence } from './escalation';

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

describe('findEventTimeEscalations', () => {
  const at = (alertId: string, minutes: number): S2Occurrence => ({ alertId, kind: 'price_change', atMs: NOW + minutes * MIN });

  /** Every order of `items`. */
  function permutations<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
  }

  /** Commits the occurrences one at a time in `order`; returns each decision as `<alert>: <escalated alerts>@<minute>`. */
  function decide(order: readonly S2Occurrence[]): string[] {
    const decisions: string[] = [];
    order.forEach((occurrence, index) => {
      for (const { escalation, atMs } of findEventTimeEscalations(order.slice(0, index), [occurrence])) {
        decisions.push(`${escalation.alertIds.join(',')}@${(atMs - NOW) / MIN}`);
      }
    });
    return decisions.sort();
  }

  it('issue 11 item 12: decides the same bursts, at the same event times, in every commit order', () => {
    // a+b burst at minute 10, c+d at minute 50; e is alone.
    const occurrences = [at('a', 0), at('b', 10), at('c', 45), at('d', 50), at('e', 100)];
    const inEventTime = decide(occurrences);
    expect(new Set(inEventTime)).toEqual(new Set(['a,b@10', 'c,d@50']));
    for (const order of permutations(occurrences)) expect(new Set(decide(order))).toEqual(new Set(inEventTime));
  });

  it('issue 11 item 12: an occurrence older than the known ones counts in the windows of those after it', () => {
    const [decision, ...more] = findEventTimeEscalations([at('b', 10), at('c', 45)], [at('a', 0)]);
    expect(more).toEqual([]);
    expect(decision?.escalation.alertIds).toEqual(['a', 'b']);
    expect(decision?.atMs).toBe(NOW + 10 * MIN);
    expect(findEventTimeEscalations([at('b', 31)], [at('a', 0)])).toEqual([]);
  });

  it('counts only windows that hold an added occurrence', () => {
    expect(findEventTimeEscalations([at('a', 0), at('b', 1)], [at('c', 40)])).toEqual([]);
  });
});
