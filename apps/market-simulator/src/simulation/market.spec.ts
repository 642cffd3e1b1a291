import { validateEvent, createEvent } from '@rebal/redis-client';
import { demoPortfolios, Market, parseSymbols } from './market';
import { nextPrice, seededRandom } from './random-walk';

describe('random walk', () => {
  it('replays the same prices for the same seed and stays positive', () => {
    const walk = (seed: number) => {
      const random = seededRandom(seed);
      let price = 100;
      return Array.from({ length: 1000 }, () => (price = nextPrice(price, 3, 3600, random)));
    };
    expect(walk(7)).toEqual(walk(7));
    expect(walk(7)).not.toEqual(walk(8));
    expect(Math.min(...walk(7))).toBeGreaterThan(0);
  });

  it('moves about as much as its volatility says', () => {
    const random = seededRandom(1);
    const returns = Array.from({ length: 20_000 }, () => Math.log(nextPrice(100, 0.6, 86_400, random) / 100));
    const sd = Math.sqrt(returns.reduce((a, r) => a + r * r, 0) / returns.length);
    expect(sd).toBeCloseTo(0.6 / Math.sqrt(365), 2);
  });
});

describe('parseSymbols', () => {
  it('takes defaults for known symbols and explicit numbers for others', () => {
    expect(parseSymbols('BTC, XYZ:5:0.2')).toEqual([
      { symbol: 'BTC', price: 97_000, volatility: 0.55 },
      { symbol: 'XYZ', price: 5, volatility: 0.2 },
    ]);
  });
  it.each(['btc', 'BTC:-1', 'BTC:1:99', ''])('refuses %j', (text) => {
    expect(() => parseSymbols(text)).toThrow();
  });
});

describe('Market', () => {
  const symbols = parseSymbols('BTC,ETH,SOL');
  const market = new Market(symbols, seededRandom(3));
  for (let i = 0; i < 300; i++) market.tick(i, 3600);

  it('produces valid CloudEvents of every type it publishes', () => {
    const [portfolio] = demoPortfolios(symbols, 1);
    if (!portfolio) throw new Error('no portfolio');
    const events = [
      createEvent({ type: 'price_update', source: '/t', data: market.tick(0, 1) }),
      createEvent({ type: 'portfolio_snapshot', source: '/t', data: market.snapshot(portfolio) }),
      ...market.riskMetrics(portfolio).map((data) => createEvent({ type: 'risk_metric', source: '/t', data })),
    ];
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it('values holdings at current prices, so weights drift from their targets', () => {
    const [portfolio] = demoPortfolios(symbols, 1);
    if (!portfolio) throw new Error('no portfolio');
    const snapshot = market.snapshot(portfolio);
    const sum = snapshot.holdings.reduce((a, h) => a + h.value, 0);
    expect(snapshot.totalValue).toBeCloseTo(sum, 1);
    const weights = snapshot.holdings.map((h) => h.value / snapshot.totalValue);
    const drift = Math.max(...weights.map((w, i) => Math.abs(w - (portfolio.targets[snapshot.holdings[i]?.symbol ?? ''] ?? 0))));
    expect(drift).toBeGreaterThan(0.001);
  });
});
