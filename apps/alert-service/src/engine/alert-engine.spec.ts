import { createEvent, type CloudEvent } from '@rebal/redis-client';
import { observe, parseRuleDefinition, step, type RuleDefinition, type RuleState, type Transition } from '../rules';
import { AlertEngine } from './alert-engine';
import { routeOf } from './event-routing';
import { Partition } from './partition';
import { PriceBook } from './price-book';
import { MIN_PRICE_KEEP_MS, PRICE_KEEP_MARGIN_MS } from './price-series';

const T0 = Date.parse('2025-03-01T12:00:00Z');

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random rules of every kind over a few symbols, portfolios, metrics and services. */
function randomRules(random: () => number): RuleDefinition[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const timers = () => ({ pendingSeconds: pick([0, 0, 5, 20]), keepFiringSeconds: pick([0, 0, 10, 30]), cooldownSeconds: pick([0, 0, 15, 60]) });
  const rules: RuleDefinition[] = [];
  for (let i = 0; i < 60; i += 1) {
    const id = `r${String(i).padStart(2, '0')}`;
    const symbol = pick(['BTC', 'ETH', 'SOL']);
    const level = 100 * (0.94 + random() * 0.12);
    switch (pick(['above', 'below', 'move', 'move', 'drift', 'risk', 'health'])) {
      case 'above':
        rules.push(parseRuleDefinition({ id, name: id, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: level, S2: level * 1.02 }, recovery: level * pick([1, 0.99]), ...timers() }));
        break;
      case 'below':
        rules.push(parseRuleDefinition({ id, name: id, kind: 'price_threshold', symbol, direction: 'below', severities: { S1: level, S2: level * 0.98 }, ...timers() }));
        break;
      case 'move':
        rules.push(parseRuleDefinition({ id, name: id, kind: 'price_change', symbol, direction: pick(['up', 'down', 'either']), windowSeconds: pick([10, 30, 60]), severities: { S1: 1 + random() * 3 }, ...timers() }));
        break;
      case 'drift':
        rules.push(parseRuleDefinition({ id, name: id, kind: 'portfolio_drift', band: pick(['absolute', 'relative']), ...(random() < 0.5 ? { portfolioId: pick(['p1', 'p2']) } : {}), severities: { S1: 2 + random() * 5 }, ...timers() }));
        break;
      case 'risk':
        rules.push(parseRuleDefinition({ id, name: id, kind: 'risk_threshold', metric: pick(['var_95', 'volatility']), direction: pick(['above', 'below']), severities: { S1: 0.05 }, ...timers() }));
        break;
      default:
        rules.push(parseRuleDefinition({ id, name: id, kind: 'service_health', ...(random() < 0.5 ? { service: pick(['a', 'b']) } : {}), severities: { S1: 1, S2: 2 }, ...timers() }));
    }
    if (random() < 0.1) rules[rules.length - 1] = { ...(rules[rules.length - 1] as RuleDefinition), enabled: false };
  }
  return rules;
}

/** Random events, mostly in time order, some late (dated before events already sent) and some at one time. */
function randomEvents(random: () => number, count: number): CloudEvent[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const prices: Record<string, number> = { BTC: 100, ETH: 100, SOL: 100 };
  const events: CloudEvent[] = [];
  let atMs = T0;
  for (let i = 0; i < count; i += 1) {
    atMs += pick([0, 1000, 2000, 3000]);
    // Late events only after the first two minutes: a rule's first observation is never a late one (rules README).
    const time = atMs - T0 > 120_000 && random() < 0.05 ? atMs - 5_000 : atMs;
    const kind = random();
    const iso = new Date(time).toISOString();
    if (kind < 0.6) {
      const symbol = pick(['BTC', 'ETH', 'SOL']);
      prices[symbol] = Math.max(50, (prices[symbol] as number) * (1 + (random() - 0.5) * 0.03));
      events.push(createEvent({ type: 'price_update', source: '/t', subject: symbol, time: iso, data: { symbol, price: Number((prices[symbol] as number).toFixed(2)), currency: 'USD' } }));
    } else if (kind < 0.75) {
      const portfolioId = pick(['p1', 'p2']);
      const btc = 0.5 + (random() - 0.5) * 0.2;
      const holdings = [{ symbol: 'BTC', quantity: 1, value: 1000 * btc }, ...(random() < 0.7 ? [{ symbol: 'ETH', quantity: 1, value: 1000 * (1 - btc) }] : [])];
      events.push(createEvent({ type: 'portfolio_snapshot', source: '/t', subject: portfolioId, time: iso, data: { portfolioId, totalValue: 1000, holdings, targets: { BTC: 0.5, ETH: 0.5, ...(random() < 0.3 ? { SOL: 0 } : {}) } } }));
    } else if (kind < 0.88) {
      const portfolioId = pick(['p1', 'p2']);
      events.push(createEvent({ type: 'risk_metric', source: '/t', subject: portfolioId, time: iso, data: { portfolioId, metric: pick(['var_95', 'volatility']), value: Number((random() * 0.1).toFixed(3)) } }));
    } else {
      const service = pick(['a', 'b']);
      events.push(createEvent({ type: 'system_status', source: '/t', subject: service, time: iso, data: { service, ...(random() < 0.5 ? { instance: pick(['1', '2']) } : {}), status: pick(['healthy', 'healthy', 'degraded', 'down']) } }));
    }
  }
  return events;
}

/** The engine before issue 12, in memory: every enabled rule observes every event, every observed state is kept. */
function everyRule(rules: readonly RuleDefinition[], events: readonly CloudEvent[]): Transition[] {
  const states = new Map<string, RuleState>();
  const prices = new PriceBook();
  const transitions: Transition[] = [];
  const ordered = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  for (const event of events) {
    const atMs = Date.parse(event.time);
    const data = event.data as { symbol?: string; price?: number };
    if (event.type === 'price_update') {
      const windowMs = Math.max(0, ...rules.filter((rule) => rule.enabled && rule.kind === 'price_change' && rule.symbol === data.symbol).map((rule) => (rule.kind === 'price_change' ? rule.windowSeconds * 1000 : 0)));
      if (windowMs > 0) prices.record(data.symbol as string, atMs, data.price as number, Math.max(MIN_PRICE_KEEP_MS, windowMs + PRICE_KEEP_MARGIN_MS));
    }
    for (const rule of ordered) {
      for (const observation of observe(rule, event, { priceAt: (symbol, at) => prices.priceAt(symbol, at) })) {
        const key = `${rule.id}|${observation.fingerprint}`;
        const previous = states.get(key);
        const result = step(rule, previous, observation, atMs);
        if (previous !== undefined && result.state === previous) continue;
        if (result.expired) transitions.push(result.expired);
        if (result.transition) transitions.push(result.transition);
        states.set(key, result.state);
      }
    }
  }
  return transitions;
}

/** The engine: one partition holding everything, checkpointed every few events (inactive states dropped). */
function indexed(rules: readonly RuleDefinition[], events: readonly CloudEvent[]): Transition[] {
  const engine = new AlertEngine();
  for (const rule of rules) engine.ruleChanged(rule.id, rule);
  const partition = new Partition(0, 1);
  engine.adopt(partition, {});
  const transitions: Transition[] = [];
  events.forEach((event, i) => {
    const route = routeOf(event.type, event.data, event.subject);
    if (!route) return;
    const work = engine.evaluate(partition, { stream: 'market_data', entryId: `${i + 1}-0`, event, route, atMs: Date.parse(event.time), offsetMs: 0, replay: false });
    if (work) {
      transitions.push(...work.transitions.map((entry) => entry.transition));
      engine.committed(work.writes);
    }
    if (i % 7 === 0) engine.checkpointed(partition, engine.checkpointOf(partition));
  });
  return transitions;
}

describe('AlertEngine', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('makes exactly the transitions of every rule observing every event (random rules and events, seed %i)', (seed) => {
    const random = seeded(seed);
    const rules = randomRules(random);
    const events = randomEvents(random, 1_500);
    const expected = everyRule(rules, events);
    expect(expected.length).toBeGreaterThan(50);
    expect(indexed(rules, events)).toEqual(expected);
  });
});
