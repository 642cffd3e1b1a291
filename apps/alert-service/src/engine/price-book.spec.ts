import { PriceBook } from './price-book';
import { MIN_PRICE_KEEP_MS } from './price-series';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const HOUR = 3_600_000;
const KEEP = MIN_PRICE_KEEP_MS;

describe('PriceBook', () => {
  it('answers the last price at or before a time, and records a redelivered event once', () => {
    const prices = new PriceBook();
    prices.record('BTC', T0, 100, KEEP);
    prices.record('BTC', T0 + 10_000, 105, KEEP);
    prices.record('BTC', T0 + 10_000, 105, KEEP);
    expect(prices.priceAt('BTC', T0 - 1)).toBeUndefined();
    expect(prices.priceAt('BTC', T0 + 9_999)).toBe(100);
    expect(prices.priceAt('BTC', T0 + 10_000)).toBe(105);
    expect(prices.points).toBe(2);
  });

  it('answers, of two prices at one time, the one the sorted set answered (its `<price>|` text sorts last)', () => {
    const prices = new PriceBook();
    prices.record('ETH', T0, 100.5, KEEP);
    prices.record('ETH', T0, 100, KEEP);
    prices.record('ETH', T0, 99, KEEP);
    expect(prices.priceAt('ETH', T0)).toBe(99);
  });

  it('trims what is older than the window kept, except the newest such price, which a symbol quoted rarely still needs', () => {
    const prices = new PriceBook();
    prices.record('ETH', T0, 1000, KEEP);
    prices.record('ETH', T0 + 1_000, 1010, KEEP);
    // An hour without a quote, then one with a one-hour window to keep.
    prices.record('ETH', T0 + 2 * HOUR, 1100, HOUR);

    expect(prices.points).toBe(2);
    // The price an hour before the last quote is still the one quoted just after T0.
    expect(prices.priceAt('ETH', T0 + HOUR)).toBe(1010);
    expect(prices.priceAt('ETH', T0 + 500)).toBeUndefined();
  });

  it('keeps everything inside the window, and only one price before it however many were quoted', () => {
    const prices = new PriceBook();
    for (let i = 0; i < 10; i += 1) prices.record('SOL', T0 + i * 1_000, 10 + i, KEEP);
    for (let i = 0; i < 5; i += 1) prices.record('SOL', T0 + HOUR + i * 1_000, 50 + i, KEEP);

    expect(prices.points).toBe(6);
    expect(prices.priceAt('SOL', T0 + HOUR - 1)).toBe(19);
  });

  it('rebuilds exactly the same series from its flushes, late prices and trims included', () => {
    const prices = new PriceBook();
    const flushes: Array<[string, number]> = [];
    const flush = (wallMs: number) => {
      const entry = prices.takeFlush(wallMs);
      if (entry) flushes.push([entry, wallMs]);
    };
    for (let i = 0; i < 30; i += 1) {
      prices.record('ADA', T0 + i * 60_000, 1 + i / 100, KEEP);
      if (i % 7 === 3) prices.record('ADA', T0 + i * 60_000 - 90_000, 5, KEEP); // late
      if (i % 4 === 0) flush(T0 + i * 60_000);
    }
    flush(T0 + HOUR);
    const rebuilt = new PriceBook();
    for (const [entry, wallMs] of flushes) rebuilt.replay(entry, wallMs);
    for (let t = T0 - 60_000; t < T0 + HOUR; t += 17_000) expect({ t, price: rebuilt.priceAt('ADA', t) }).toEqual({ t, price: prices.priceAt('ADA', t) });
    expect(rebuilt.points).toBe(prices.points);
  });

  it('issue 11 suspected: keeps the symbols\' history through an outage of a day: the stream is never trimmed past a point held, and old points are written again in turns', () => {
    const prices = new PriceBook();
    const symbols = Array.from({ length: 100 }, (_, i) => `S${i}`);
    for (const symbol of symbols) {
      prices.record(symbol, T0, 0.5, HOUR);
      prices.record(symbol, T0 + 60_000, 0.6, HOUR);
    }
    const written: Array<[string, number]> = [[prices.takeFlush(T0 + 60_000) as string, T0 + 60_000]];
    // A day of outage: no flush. Then flushes again, each trimming the stream where it says.
    const after = T0 + 24 * HOUR;
    for (let i = 0; i < 12; i += 1) {
      const wallMs = after + i * 1_000;
      const entry = prices.takeFlush(wallMs);
      if (entry) written.push([entry, wallMs]);
      const trimmedBefore = prices.trimBefore(wallMs);
      const rebuilt = new PriceBook();
      for (const [kept, at] of written.filter(([, at]) => at >= trimmedBefore)) rebuilt.replay(kept, at);
      for (const symbol of symbols) expect({ i, symbol, before: rebuilt.priceAt(symbol, T0 + 30_000), after: rebuilt.priceAt(symbol, T0 + HOUR) }).toEqual({ i, symbol, before: 0.5, after: 0.6 });
    }
    // After the turns every point was written again: the old entry may go.
    expect(prices.trimBefore(after + 12_000)).toBeGreaterThan(T0 + 60_000);
  });
});
