import type { CloudEvent } from '@rebal/gateway-client';
import { PriceSeries, priceTickFromEvent, type PriceTick } from './price-series';

const T0 = Date.parse('2024-04-05T19:00:00.000Z');
const tick = (price: number, time: number, symbol = 'BTC'): PriceTick => ({ symbol, price, currency: 'USD', time });
const event = (data: Record<string, unknown>, type = 'price_update'): CloudEvent => ({ specversion: '1.0', id: 'e', source: '/t', type, time: new Date(T0).toISOString(), subject: 'BTC', data });

describe('priceTickFromEvent', () => {
  it('reads a price_update, defaulting the currency to USD', () => {
    expect(priceTickFromEvent(event({ symbol: 'BTC', price: 64_000 }))).toEqual({ symbol: 'BTC', price: 64_000, currency: 'USD', time: T0 });
  });

  it('ignores events that are not usable price updates', () => {
    expect(priceTickFromEvent(event({ symbol: 'BTC', price: 1 }, 'risk_metric'))).toBeUndefined();
    expect(priceTickFromEvent(event({ symbol: 'BTC', price: 0 }))).toBeUndefined();
    expect(priceTickFromEvent(event({ price: 1 }))).toBeUndefined();
  });
});

describe('PriceSeries', () => {
  it('keeps the last five minutes of event time in order, in seconds for the chart', () => {
    const series = new PriceSeries('BTC');
    series.add(tick(100, T0));
    series.add(tick(102, T0 + 2_000));
    series.add(tick(101, T0 + 1_000)); // late: put in its place
    expect(series.data()).toEqual([
      [T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2],
      [100, 101, 102],
    ]);
    expect(series.latest).toEqual({ price: 102, time: T0 + 2_000 });
    expect(series.change).toEqual({ change: 2, changePct: 2 });

    series.add(tick(110, T0 + 5 * 60_000 + 1_500)); // the window moves: the first two go
    expect(series.data()).toEqual([[T0 / 1000 + 2, T0 / 1000 + 301.5], [102, 110]]);
    expect(series.add(tick(90, T0))).toBe(false);
    expect(series.length).toBe(2);
  });

  it('has no change with a single point, and keeps at most maxPoints', () => {
    const series = new PriceSeries('ETH', 60_000, 3);
    series.add(tick(10, T0, 'ETH'));
    expect(series.change).toBeUndefined();
    for (let i = 1; i <= 5; i++) series.add(tick(10 + i, T0 + i, 'ETH'));
    expect(series.data()[1]).toEqual([13, 14, 15]);
  });
});
