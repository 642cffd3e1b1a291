import type { PortfolioSnapshotData, PriceUpdateData, RiskMetricData } from '@rebal/redis-client';
import { nextPrice, type Random } from './random-walk';

/** One simulated asset: its starting price and annualised volatility. */
export interface SymbolSpec {
  symbol: string;
  price: number;
  volatility: number;
}

/** Sensible defaults for the demo: a few large caps with realistic volatilities. */
export const DEFAULT_SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTC', price: 97_000, volatility: 0.55 },
  { symbol: 'ETH', price: 3_600, volatility: 0.7 },
  { symbol: 'SOL', price: 230, volatility: 0.95 },
  { symbol: 'ADA', price: 1.05, volatility: 0.9 },
  { symbol: 'DOT', price: 8.9, volatility: 0.85 },
];

/** A demo portfolio: quantities held and target weights. */
export interface PortfolioSpec {
  portfolioId: string;
  quantities: Record<string, number>;
  targets: Record<string, number>;
}

/**
 * Parses `SYMBOL[:price[:volatility]],...` (e.g. `BTC:97000:0.55,ETH`); a symbol without
 * numbers takes the default's, or price 100 and volatility 0.8 when it has none.
 */
export function parseSymbols(text: string): SymbolSpec[] {
  const specs = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [symbol = '', price, volatility] = part.split(':');
    if (!/^[A-Z0-9]{1,16}$/.test(symbol)) throw new Error(`"${symbol}" is not a symbol (1 to 16 capitals or digits)`);
    const known = DEFAULT_SYMBOLS.find((s) => s.symbol === symbol);
    const spec = { symbol, price: price ? Number(price) : known?.price ?? 100, volatility: volatility ? Number(volatility) : known?.volatility ?? 0.8 };
    if (!(spec.price > 0)) throw new Error(`price of ${symbol} must be a positive number`);
    if (!(spec.volatility >= 0 && spec.volatility <= 10)) throw new Error(`volatility of ${symbol} must be between 0 and 10`);
    return spec;
  });
  if (specs.length === 0) throw new Error('at least one symbol is needed');
  return specs;
}

/** Demo portfolios over the simulated symbols, each with its own targets (they drift as prices move). */
export function demoPortfolios(symbols: readonly SymbolSpec[], count: number): PortfolioSpec[] {
  return Array.from({ length: count }, (_, n) => {
    const held = symbols.slice(0, Math.max(2, symbols.length - n));
    const weight = 1 / held.length;
    const quantities: Record<string, number> = {};
    const targets: Record<string, number> = {};
    for (const s of held) {
      quantities[s.symbol] = (100_000 * weight) / s.price;
      targets[s.symbol] = Number(weight.toFixed(4));
    }
    return { portfolioId: `demo-${n + 1}`, quantities, targets };
  });
}

/** The simulated market: prices that walk, and what portfolios and risk look like at those prices. */
export class Market {
  private readonly prices = new Map<string, number>();
  private readonly history = new Map<string, number[]>();

  constructor(
    private readonly symbols: readonly SymbolSpec[],
    private readonly random: Random,
    private readonly currency = 'USD',
  ) {
    for (const s of symbols) this.prices.set(s.symbol, s.price);
  }

  /** Advances one symbol by `dtSeconds` and returns its price_update payload. */
  tick(index: number, dtSeconds: number): PriceUpdateData {
    const spec = this.symbols[index % this.symbols.length] as SymbolSpec;
    const price = nextPrice(this.prices.get(spec.symbol) ?? spec.price, spec.volatility, dtSeconds, this.random);
    this.prices.set(spec.symbol, price);
    const returns = this.history.get(spec.symbol) ?? [];
    returns.push(price);
    if (returns.length > 500) returns.shift();
    this.history.set(spec.symbol, returns);
    return { symbol: spec.symbol, price: Number(price.toPrecision(8)), currency: this.currency, volume24h: Math.round(1e6 + this.random() * 1e9) };
  }

  /** A portfolio_snapshot payload valued at current prices. */
  snapshot(portfolio: PortfolioSpec): PortfolioSnapshotData {
    const holdings = Object.entries(portfolio.quantities).map(([symbol, quantity]) => ({
      symbol,
      quantity,
      value: Number((quantity * (this.prices.get(symbol) ?? 0)).toFixed(2)),
    }));
    const totalValue = Number(holdings.reduce((sum, h) => sum + h.value, 0).toFixed(2));
    return { portfolioId: portfolio.portfolioId, totalValue, holdings, targets: portfolio.targets };
  }

  /** risk_metric payloads for a portfolio: volatility of its largest holding's recent prices, a VaR estimate, drawdown. */
  riskMetrics(portfolio: PortfolioSpec): RiskMetricData[] {
    const symbol = Object.keys(portfolio.quantities)[0] ?? '';
    const series = this.history.get(symbol) ?? [];
    const returns = series.slice(1).map((p, i) => Math.log(p / (series[i] as number)));
    const mean = returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length);
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(1, returns.length - 1));
    const peak = Math.max(...series, 0);
    const last = series[series.length - 1] ?? peak;
    const round = (x: number) => Number(x.toFixed(6));
    return [
      { portfolioId: portfolio.portfolioId, metric: 'volatility', value: round(sd), window: '500t' },
      { portfolioId: portfolio.portfolioId, metric: 'var_95', value: round(1.645 * sd), window: '1t' },
      { portfolioId: portfolio.portfolioId, metric: 'max_drawdown', value: round(peak > 0 ? (peak - last) / peak : 0), window: '500t' },
    ];
  }
}
