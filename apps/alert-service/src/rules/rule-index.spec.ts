import { observe, type RuleEvent } from './observe';
import { parseRuleDefinition, type RuleDefinition } from './rule-definition';
import { candidateRules } from './rule-index';

const TIME = '2025-03-01T12:00:00Z';
const rule = (input: Record<string, unknown>): RuleDefinition => parseRuleDefinition({ name: String(input['id']), severities: { S2: 10 }, ...input });

const RULES: RuleDefinition[] = [
  rule({ id: 'btc-above', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S2: 100 } }),
  rule({ id: 'btc-below', kind: 'price_threshold', symbol: 'BTC', direction: 'below', severities: { S2: 1_000_000 } }),
  rule({ id: 'eth-above', kind: 'price_threshold', symbol: 'ETH', direction: 'above', severities: { S2: 1 } }),
  rule({ id: 'btc-off', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S2: 1 }, enabled: false }),
  rule({ id: 'btc-move', kind: 'price_change', symbol: 'BTC', direction: 'either', windowSeconds: 3600, severities: { S2: 1 } }),
  rule({ id: 'drift', kind: 'portfolio_drift', band: 'absolute', severities: { S2: 1 } }),
  rule({ id: 'drift-p2', kind: 'portfolio_drift', portfolioId: 'p2', band: 'absolute', severities: { S2: 1 } }),
  rule({ id: 'var', kind: 'risk_threshold', metric: 'var_95', severities: { S2: 1 } }),
  rule({ id: 'health', kind: 'service_health', severities: { S2: 1 } }),
];

const EVENTS: RuleEvent[] = [
  { type: 'price_update', time: TIME, data: { symbol: 'BTC', price: 500 } },
  { type: 'price_update', time: TIME, data: { symbol: 'ETH', price: 5 } },
  { type: 'price_update', time: TIME, data: { symbol: 'DOGE', price: 5 } },
  { type: 'price_update', time: TIME, data: { price: 5 } },
  { type: 'price_update', time: TIME, data: null },
  { type: 'portfolio_snapshot', time: TIME, data: { portfolioId: 'p1', totalValue: 100, holdings: [{ symbol: 'BTC', value: 100 }], targets: { BTC: 0.5 } } },
  { type: 'risk_metric', time: TIME, data: { portfolioId: 'p1', metric: 'var_95', value: 3 } },
  { type: 'system_status', time: TIME, data: { service: 'alert-service', status: 'down' } },
  { type: 'rebalance_executed', time: TIME, data: {} },
];

describe('candidateRules', () => {
  it.each(EVENTS.map((event) => [`${event.type} ${JSON.stringify(event.data)}`, event] as const))('never leaves out a rule that observes %s', (_name, event) => {
    const observing = RULES.filter((r) => observe(r, event, { priceAt: () => 400 }).length > 0).map((r) => r.id);
    const candidates = candidateRules(RULES, event).map((r) => r.id);
    expect(candidates).toEqual(expect.arrayContaining(observing));
  });

  it('narrows a price update to the enabled rules on its symbol, in order', () => {
    expect(candidateRules(RULES, EVENTS[0] as RuleEvent).map((r) => r.id)).toEqual(['btc-above', 'btc-below', 'btc-move']);
    expect(candidateRules(RULES, EVENTS[2] as RuleEvent)).toEqual([]);
    expect(candidateRules(RULES, EVENTS[4] as RuleEvent)).toEqual([]);
  });

  it('gives the other event types the rules of their kind only', () => {
    expect(candidateRules(RULES, EVENTS[5] as RuleEvent).map((r) => r.id)).toEqual(['drift', 'drift-p2']);
    expect(candidateRules(RULES, EVENTS[6] as RuleEvent).map((r) => r.id)).toEqual(['var']);
    expect(candidateRules(RULES, EVENTS[7] as RuleEvent).map((r) => r.id)).toEqual(['health']);
    expect(candidateRules(RULES, EVENTS[8] as RuleEvent)).toEqual([]);
  });

  it('builds a new index for a new rules array', () => {
    const more = [...RULES, rule({ id: 'doge', kind: 'price_threshold', symbol: 'DOGE', direction: 'above', severities: { S2: 1 } })];
    expect(candidateRules(more, EVENTS[2] as RuleEvent).map((r) => r.id)).toEqual(['doge']);
    expect(candidateRules(RULES, EVENTS[2] as RuleEvent)).toEqual([]);
  });
});
