import { alertFingerprint } from './alert-fingerprint';
import { observe, type RuleEvent } from './observe';
import { parseRuleDefinition } from './rule-definition';

const TIME = '2025-03-01T12:00:00Z';
const AT = Date.parse(TIME);
const price = (symbol: string, value: number, time = TIME): RuleEvent => ({
  type: 'price_update',
  subject: symbol,
  time,
  data: { symbol, price: value, currency: 'USD' },
});
const snapshot = (data: Record<string, unknown>): RuleEvent => ({ type: 'portfolio_snapshot', time: TIME, data: { portfolioId: 'p1', ...data } });

describe('observe', () => {
  describe('price_threshold', () => {
    const rule = parseRuleDefinition({
      id: 'btc',
      name: 'BTC',
      kind: 'price_threshold',
      symbol: 'BTC',
      direction: 'above',
      severities: { S2: 100 },
      labels: { team: 'desk' },
    });

    it('observes the price of its symbol with the event time and identity labels', () => {
      const [observation, ...more] = observe(rule, price('BTC', 101.5));
      expect(more).toEqual([]);
      expect(observation).toEqual({
        labels: { team: 'desk', rule: 'btc', kind: 'price_threshold', symbol: 'BTC' },
        fingerprint: alertFingerprint({ symbol: 'BTC', kind: 'price_threshold', rule: 'btc', team: 'desk' }),
        value: 101.5,
        atMs: AT,
        details: { price: 101.5, currency: 'USD' },
      });
    });

    it('observes nothing for another symbol, another type, a malformed payload or an unreadable time', () => {
      expect(observe(rule, price('ETH', 101))).toEqual([]);
      expect(observe(rule, { ...price('BTC', 101), type: 'risk_metric' })).toEqual([]);
      expect(observe(rule, { type: 'price_update', time: TIME, data: { symbol: 'BTC', price: -1 } })).toEqual([]);
      expect(observe(rule, { type: 'price_update', time: TIME, data: 'BTC 101' })).toEqual([]);
      expect(observe(rule, price('BTC', 101, 'yesterday'))).toEqual([]);
    });

    it('observes nothing for a disabled rule', () => {
      expect(observe({ ...rule, enabled: false }, price('BTC', 101))).toEqual([]);
    });
  });

  describe('price_change', () => {
    const changeRule = (direction: 'up' | 'down' | 'either') =>
      parseRuleDefinition({ id: 'chg', name: 'chg', kind: 'price_change', symbol: 'BTC', windowSeconds: 3600, direction, severities: { S2: 5 } });

    it('asks for the reference price one window before the event and measures the move in percent', () => {
      const asked: Array<[string, number]> = [];
      const priceAt = (symbol: string, atMs: number) => {
        asked.push([symbol, atMs]);
        return 1000;
      };
      const [observation] = observe(changeRule('up'), price('BTC', 1055), { priceAt });
      expect(asked).toEqual([['BTC', AT - 3_600_000]]);
      expect(observation?.value).toBe(5.5);
      expect(observation?.details).toMatchObject({ price: 1055, referencePrice: 1000, changePercent: 5.5 });
    });

    it('measures the move in the rule direction: a fall is positive for down, negative for up, absolute for either', () => {
      const priceAt = () => 1000;
      const valueOf = (direction: 'up' | 'down' | 'either') => observe(changeRule(direction), price('BTC', 940), { priceAt })[0]?.value;
      expect(valueOf('up')).toBe(-6);
      expect(valueOf('down')).toBe(6);
      expect(valueOf('either')).toBe(6);
    });

    it('observes nothing without a reference price', () => {
      expect(observe(changeRule('either'), price('BTC', 940))).toEqual([]);
      expect(observe(changeRule('either'), price('BTC', 940), { priceAt: () => undefined })).toEqual([]);
      expect(observe(changeRule('either'), price('ETH', 940), { priceAt: () => 1000 })).toEqual([]);
    });
  });

  describe('portfolio_drift', () => {
    const driftRule = (overrides: Record<string, unknown> = {}) =>
      parseRuleDefinition({ id: 'drift', name: 'drift', kind: 'portfolio_drift', band: 'absolute', severities: { S2: 5 }, ...overrides });
    const holdings = [
      { symbol: 'BTC', quantity: 1, value: 60_000 },
      { symbol: 'ETH', quantity: 10, value: 30_000 },
      { symbol: 'DOGE', quantity: 1000, value: 10_000 },
    ];
    const targets = { BTC: 0.5, ETH: 0.4, SOL: 0.1 };

    it('yields one observation with its own fingerprint per symbol held or targeted', () => {
      const observations = observe(driftRule(), snapshot({ totalValue: 100_000, holdings, targets }));
      expect(observations.map((o) => [o.labels['symbol'], o.value])).toEqual([
        ['BTC', 10], // 0.60 vs 0.50
        ['DOGE', 10], // held, no target: target 0
        ['ETH', 10], // 0.30 vs 0.40
        ['SOL', 10], // targeted, not held: weight 0
      ]);
      expect(new Set(observations.map((o) => o.fingerprint)).size).toBe(4);
      expect(observations[0]?.labels).toEqual({ rule: 'drift', kind: 'portfolio_drift', portfolioId: 'p1', symbol: 'BTC' });
      expect(observations[2]?.details).toMatchObject({ weight: 0.3, target: 0.4, weightPercent: 30, targetPercent: 40, deviationPercent: -10 });
    });

    it('measures an exact 5 point drift as 5, not 4.999999999999999', () => {
      const [btc] = observe(driftRule(), snapshot({ totalValue: 1, holdings: [{ symbol: 'BTC', quantity: 1, value: 0.3 }], targets: { BTC: 0.25 } }));
      expect(btc?.value).toBe(5);
    });

    it('measures relative drift in percent of the target and skips symbols without a target', () => {
      const observations = observe(driftRule({ band: 'relative', severities: { S2: 20 } }), snapshot({ totalValue: 100_000, holdings, targets }));
      expect(observations.map((o) => [o.labels['symbol'], o.value])).toEqual([
        ['BTC', 20], // 0.10 / 0.50
        ['ETH', 25], // 0.10 / 0.40
        ['SOL', 100], // 0.10 / 0.10
      ]);
    });

    it('sums duplicate holdings of one symbol', () => {
      const split = [
        { symbol: 'BTC', quantity: 1, value: 25_000 },
        { symbol: 'BTC', quantity: 1, value: 25_000 },
      ];
      const [btc] = observe(driftRule(), snapshot({ totalValue: 50_000, holdings: split, targets: { BTC: 1 } }));
      expect(btc?.value).toBe(0);
    });

    it('watches only its portfolio when it names one, and nothing of an empty portfolio', () => {
      const event = snapshot({ totalValue: 100_000, holdings, targets });
      expect(observe(driftRule({ portfolioId: 'p2' }), event)).toEqual([]);
      expect(observe(driftRule({ portfolioId: 'p1' }), event)).toHaveLength(4);
      expect(observe(driftRule(), snapshot({ totalValue: 0, holdings: [], targets }))).toEqual([]);
    });
  });

  describe('risk_threshold', () => {
    const riskRule = (overrides: Record<string, unknown> = {}) =>
      parseRuleDefinition({ id: 'var', name: 'var', kind: 'risk_threshold', metric: 'var_95', severities: { S2: 0.05 }, ...overrides });
    const metric = (data: Record<string, unknown>, subject?: string): RuleEvent => ({ type: 'risk_metric', subject, time: TIME, data });

    it('observes its metric, labelled with the portfolio and window when the event has them', () => {
      const [observation] = observe(riskRule(), metric({ portfolioId: 'p1', metric: 'var_95', value: 0.07, window: '1d' }));
      expect(observation?.labels).toEqual({ rule: 'var', kind: 'risk_threshold', metric: 'var_95', portfolioId: 'p1', window: '1d' });
      expect(observation?.value).toBe(0.07);
      const [global] = observe(riskRule(), metric({ metric: 'var_95', value: 0.07 }));
      expect(global?.labels).toEqual({ rule: 'var', kind: 'risk_threshold', metric: 'var_95' });
    });

    it('takes the portfolio from the subject when the payload leaves it out', () => {
      const [observation] = observe(riskRule({ portfolioId: 'p9' }), metric({ metric: 'var_95', value: 0.07 }, 'p9'));
      expect(observation?.labels['portfolioId']).toBe('p9');
    });

    it('observes nothing for another metric, portfolio or window', () => {
      expect(observe(riskRule(), metric({ metric: 'volatility', value: 0.9 }))).toEqual([]);
      expect(observe(riskRule({ portfolioId: 'p1' }), metric({ portfolioId: 'p2', metric: 'var_95', value: 0.9 }))).toEqual([]);
      expect(observe(riskRule({ window: '30d' }), metric({ metric: 'var_95', value: 0.9, window: '1d' }))).toEqual([]);
    });
  });

  describe('service_health', () => {
    const healthRule = (overrides: Record<string, unknown> = {}) =>
      parseRuleDefinition({ id: 'health', name: 'health', kind: 'service_health', severities: { S2: 1, S3: 2 }, ...overrides });
    const status = (data: Record<string, unknown>): RuleEvent => ({ type: 'system_status', time: TIME, data: { reason: 'probe', ...data } });

    it('maps healthy, degraded and down to 0, 1 and 2', () => {
      const valueOf = (s: string) => observe(healthRule(), status({ service: 'pricing', status: s }))[0]?.value;
      expect([valueOf('healthy'), valueOf('degraded'), valueOf('down')]).toEqual([0, 1, 2]);
    });

    it('gives each instance its own alert and honours the service filter', () => {
      const [a] = observe(healthRule(), status({ service: 'pricing', instance: 'pod-a', status: 'down' }));
      const [b] = observe(healthRule(), status({ service: 'pricing', instance: 'pod-b', status: 'down' }));
      expect(a?.labels).toEqual({ rule: 'health', kind: 'service_health', service: 'pricing', instance: 'pod-a' });
      expect(a?.fingerprint).not.toBe(b?.fingerprint);
      expect(observe(healthRule({ service: 'gateway' }), status({ service: 'pricing', status: 'down' }))).toEqual([]);
      expect(observe(healthRule(), status({ service: 'pricing', status: 'on fire' }))).toEqual([]);
    });
  });
});
