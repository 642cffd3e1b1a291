import { parseRuleDefinition, type RuleEvent } from '../rules';
import { evaluateObserved, longestWindowMs, observeAll, priceLookups } from './rule-evaluation';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const price = (symbol: string, value: number, atMs: number): RuleEvent => ({
  type: 'price_update',
  time: new Date(atMs).toISOString(),
  data: { symbol, price: value, currency: 'USD' },
});

const above = parseRuleDefinition({ id: 'btc-above', name: 'BTC', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100 }, keepFiringSeconds: 60 });
const change1h = parseRuleDefinition({ id: 'btc-1h', name: 'BTC 1h', kind: 'price_change', symbol: 'BTC', windowSeconds: 3600, direction: 'up', severities: { S2: 5 } });
const change1d = parseRuleDefinition({ ...change1h, id: 'btc-1d', windowSeconds: 86_400 });
const disabled = parseRuleDefinition({ ...change1h, id: 'btc-off', windowSeconds: 7200, enabled: false });

describe('rule evaluation for one event', () => {
  it('asks for the reference price of each enabled price_change window of the symbol', () => {
    const rules = [above, change1h, change1d, disabled];
    expect(priceLookups(rules, price('BTC', 1, T0))).toEqual([
      { symbol: 'BTC', atMs: T0 - 3_600_000 },
      { symbol: 'BTC', atMs: T0 - 86_400_000 },
    ]);
    expect(priceLookups(rules, price('ETH', 1, T0))).toEqual([]);
    expect(longestWindowMs(rules, 'BTC')).toBe(86_400_000);
    expect(longestWindowMs(rules, 'ETH')).toBe(0);
  });

  it('raises from no state, with the version the write expects and the due time of the state', () => {
    const observed = observeAll([above], price('BTC', 120, T0), {});
    const result = evaluateObserved(observed, [undefined], T0);
    expect(result.transitions.map((entry) => [entry.kind, entry.transition.kind])).toEqual([['price_threshold', 'raise']]);
    expect(result.writes).toEqual([expect.objectContaining({ ruleId: 'btc-above', expectedVersion: 0, state: expect.objectContaining({ phase: 'firing' }) })]);
    expect(result.writes[0]?.dueAtMs).toBeUndefined();
    expect(result.outcomes).toEqual([{ kind: 'price_threshold', outcome: 'raise' }]);
  });

  it('writes nothing for an observation older than the state, and counts it as ignored', () => {
    const first = evaluateObserved(observeAll([above], price('BTC', 120, T0 + 10), {}), [undefined], T0 + 10);
    const stored = { state: first.writes[0]?.state as NonNullable<(typeof first.writes)[0]>['state'], version: 1 };
    const late = evaluateObserved(observeAll([above], price('BTC', 50, T0), {}), [stored], T0);
    expect(late).toEqual({ writes: [], transitions: [], outcomes: [{ kind: 'price_threshold', outcome: 'ignored' }] });
  });

  it('schedules the keep-firing expiry once a firing value clears', () => {
    const fired = evaluateObserved(observeAll([above], price('BTC', 120, T0), {}), [undefined], T0);
    const stored = { state: fired.writes[0]?.state as NonNullable<(typeof fired.writes)[0]>['state'], version: 1 };
    const cleared = evaluateObserved(observeAll([above], price('BTC', 90, T0 + 5000), {}), [stored], T0 + 5000);
    expect(cleared.transitions).toEqual([]);
    expect(cleared.writes[0]).toMatchObject({ expectedVersion: 1, dueAtMs: T0 + 5000 + 60_000 });
  });
});
