import { observe, parseRuleDefinition, severityFor, type RuleDefinition, type RuleEvent } from '../rules';
import { RuleBook } from './rule-book';

const TIME = '2025-03-01T12:00:00Z';
const rule = (input: Record<string, unknown>): RuleDefinition => parseRuleDefinition({ name: String(input['id']), severities: { S2: 10 }, ...input });

const RULES: RuleDefinition[] = [
  rule({ id: 'btc-above', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S2: 100 } }),
  rule({ id: 'btc-below', kind: 'price_threshold', symbol: 'BTC', direction: 'below', severities: { S2: 1_000_000 } }),
  rule({ id: 'btc-far', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 900, S2: 950 } }),
  rule({ id: 'eth-above', kind: 'price_threshold', symbol: 'ETH', direction: 'above', severities: { S2: 1 } }),
  rule({ id: 'btc-off', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S2: 1 }, enabled: false }),
  rule({ id: 'btc-move', kind: 'price_change', symbol: 'BTC', direction: 'either', windowSeconds: 3600, severities: { S2: 1 } }),
  rule({ id: 'btc-up', kind: 'price_change', symbol: 'BTC', direction: 'up', windowSeconds: 3600, severities: { S2: 1 } }),
  rule({ id: 'btc-down', kind: 'price_change', symbol: 'BTC', direction: 'down', windowSeconds: 60, severities: { S2: 1 } }),
  rule({ id: 'drift', kind: 'portfolio_drift', band: 'absolute', severities: { S2: 1 } }),
  rule({ id: 'drift-p2', kind: 'portfolio_drift', portfolioId: 'p2', band: 'absolute', severities: { S2: 1 } }),
  rule({ id: 'var', kind: 'risk_threshold', metric: 'var_95', severities: { S2: 1 } }),
  rule({ id: 'health', kind: 'service_health', severities: { S2: 1 } }),
  rule({ id: 'health-pricing', kind: 'service_health', service: 'pricing-job', severities: { S2: 1 } }),
];

const book = () => {
  const rules = new RuleBook();
  for (const each of RULES) rules.set(each);
  return rules;
};

/** The rules an event meets: those whose condition its value passes (prices), or those of its subject (the other kinds). */
function candidates(rules: RuleBook, event: RuleEvent, reference = 400): string[] {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const found = new Set<string>();
  switch (event.type) {
    case 'price_update':
      if (typeof data['symbol'] === 'string' && typeof data['price'] === 'number') rules.priceCandidates(data['symbol'], data['price'], () => reference, (each) => found.add(each.id));
      break;
    case 'portfolio_snapshot':
      for (const each of rules.driftRules(String(data['portfolioId']))) found.add(each.id);
      break;
    case 'risk_metric':
      for (const each of rules.riskRules(String(data['metric']))) found.add(each.id);
      break;
    case 'system_status':
      for (const each of rules.healthRules(String(data['service']))) found.add(each.id);
      break;
  }
  return [...found].sort();
}

const EVENTS: RuleEvent[] = [
  { type: 'price_update', time: TIME, data: { symbol: 'BTC', price: 500 } },
  { type: 'price_update', time: TIME, data: { symbol: 'BTC', price: 399 } },
  { type: 'price_update', time: TIME, data: { symbol: 'BTC', price: 960 } },
  { type: 'price_update', time: TIME, data: { symbol: 'ETH', price: 5 } },
  { type: 'price_update', time: TIME, data: { symbol: 'DOGE', price: 5 } },
  { type: 'portfolio_snapshot', time: TIME, data: { portfolioId: 'p1', totalValue: 100, holdings: [{ symbol: 'BTC', value: 100 }], targets: { BTC: 0.5 } } },
  { type: 'portfolio_snapshot', time: TIME, data: { portfolioId: 'p2', totalValue: 100, holdings: [{ symbol: 'BTC', value: 100 }], targets: { BTC: 0.5 } } },
  { type: 'risk_metric', time: TIME, data: { portfolioId: 'p1', metric: 'var_95', value: 3 } },
  { type: 'system_status', time: TIME, data: { service: 'alert-service', status: 'down' } },
  { type: 'system_status', time: TIME, data: { service: 'pricing-job', status: 'down' } },
  { type: 'rebalance_executed', time: TIME, data: {} },
];

describe('RuleBook', () => {
  it.each(EVENTS.map((event) => [`${event.type} ${JSON.stringify(event.data)}`, event] as const))('never leaves out a rule whose condition %s meets', (_name, event) => {
    const rules = book();
    // A rule whose condition holds for an observation of the event: the only ones that can leave inactive.
    const holding = RULES.filter((each) => observe(each, event, { priceAt: () => 400 }).some((observation) => severityFor(each, observation.value) !== undefined)).map((each) => each.id);
    expect(candidates(rules, event)).toEqual(expect.arrayContaining(holding));
  });

  it('gives a price only the enabled rules on its symbol whose condition it passes', () => {
    const rules = book();
    expect(candidates(rules, EVENTS[0] as RuleEvent)).toEqual(['btc-above', 'btc-below', 'btc-move', 'btc-up']);
    expect(candidates(rules, EVENTS[1] as RuleEvent)).toEqual(['btc-above', 'btc-below']);
    expect(candidates(rules, EVENTS[2] as RuleEvent)).toEqual(['btc-above', 'btc-below', 'btc-far', 'btc-move', 'btc-up']);
    expect(candidates(rules, EVENTS[1] as RuleEvent, 500)).toEqual(['btc-above', 'btc-below', 'btc-down', 'btc-move']);
    expect(candidates(rules, EVENTS[4] as RuleEvent)).toEqual([]);
    // Without a reference price, no move rule.
    expect(candidates(rules, EVENTS[0] as RuleEvent, Number.NaN)).toEqual(['btc-above', 'btc-below']);
  });

  it('gives the other event types the rules of their subject only', () => {
    const rules = book();
    expect(candidates(rules, EVENTS[5] as RuleEvent)).toEqual(['drift']);
    expect(candidates(rules, EVENTS[6] as RuleEvent)).toEqual(['drift', 'drift-p2']);
    expect(candidates(rules, EVENTS[7] as RuleEvent)).toEqual(['var']);
    expect(candidates(rules, EVENTS[8] as RuleEvent)).toEqual(['health']);
    expect(candidates(rules, EVENTS[9] as RuleEvent)).toEqual(['health', 'health-pricing']);
    expect(candidates(rules, EVENTS[10] as RuleEvent)).toEqual([]);
  });

  it('follows rule changes one rule at a time: a new level, a disabled rule, a deleted one, a longest window', () => {
    const rules = book();
    rules.set(rule({ id: 'btc-above', kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S2: 600 } }));
    expect(candidates(rules, EVENTS[0] as RuleEvent)).toEqual(['btc-below', 'btc-move', 'btc-up']);
    rules.set({ ...(rules.get('btc-below') as RuleDefinition), enabled: false });
    expect(candidates(rules, EVENTS[0] as RuleEvent)).toEqual(['btc-move', 'btc-up']);
    expect(rules.get('btc-below')?.enabled).toBe(false);
    expect(rules.longestWindowMs('BTC')).toBe(3_600_000);
    rules.delete('btc-move');
    rules.delete('btc-up');
    expect(rules.longestWindowMs('BTC')).toBe(60_000);
    rules.set(rule({ id: 'doge', kind: 'price_threshold', symbol: 'DOGE', direction: 'above', severities: { S2: 1 } }));
    expect(candidates(rules, EVENTS[4] as RuleEvent)).toEqual(['doge']);
    expect(rules.watchesSymbol('SOL')).toBe(false);
  });
});
