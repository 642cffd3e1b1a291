import { useRedis } from '@rebal/redis-testing';
import type { RedisConnection } from '@rebal/redis-client';
import { Connections, unique } from '../store/test/store-test-kit';
import { PriceHistory } from './price-history';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const HOUR = 3_600_000;

describe('PriceHistory', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({}, 60_000);
  let conn: RedisConnection;
  let prices: PriceHistory;
  beforeEach(() => {
    conn ??= connections.connect(redis.server);
    prices = new PriceHistory({ redis: conn, keyPrefix: `${unique('prices')}:`, retentionMs: 60_000 });
  });

  it('answers the last price at or before a time, and records a redelivered event once', async () => {
    await prices.record('BTC', T0, 100, 'e1');
    await prices.record('BTC', T0 + 10_000, 105, 'e2');
    await prices.record('BTC', T0 + 10_000, 105, 'e2');
    expect(await prices.priceAt('BTC', T0 - 1)).toBeUndefined();
    expect(await prices.priceAt('BTC', T0 + 9_999)).toBe(100);
    expect(await prices.priceAt('BTC', T0 + 10_000)).toBe(105);
    expect(await conn.zcard(prices.keyOf('BTC'))).toBe(2);
    expect(await conn.pttl(prices.keyOf('BTC'))).toBeGreaterThan(HOUR);
  });

  it('issue 11 suspected: keeps a symbol\'s history through an outage of up to a day (the idempotency TTL), so a replay after it finds its reference prices', async () => {
    await prices.record('ADA', T0, 1, 'e1', HOUR);
    // The TTL counts from the last write by the wall clock: an outage stops the writes, not the clock.
    expect(await conn.pttl(prices.keyOf('ADA'))).toBeGreaterThan(HOUR + 24 * HOUR - 60_000);
  });

  it('trims what is older than the window kept, except the newest such price, which a symbol quoted rarely still needs', async () => {
    await prices.record('ETH', T0, 1000, 'e1');
    await prices.record('ETH', T0 + 1_000, 1010, 'e2');
    // An hour without a quote, then one with a one-hour window to keep.
    await prices.record('ETH', T0 + 2 * HOUR, 1100, 'e3', HOUR);

    expect(await conn.zrange(prices.keyOf('ETH'), 0, -1)).toEqual(['1010|e2', '1100|e3']);
    // The price an hour before the last quote is still the one quoted just after T0.
    expect(await prices.priceAt('ETH', T0 + HOUR)).toBe(1010);
    expect(await prices.pricesAt([{ symbol: 'ETH', atMs: T0 + HOUR }, { symbol: 'ETH', atMs: T0 + 500 }])).toEqual(
      new Map([[`ETH@${T0 + HOUR}`, 1010], [`ETH@${T0 + 500}`, undefined]]),
    );
  });

  it('keeps everything inside the window, and only one price before it however many were quoted', async () => {
    for (let i = 0; i < 10; i += 1) await prices.record('SOL', T0 + i * 1_000, 10 + i, `old-${i}`);
    for (let i = 0; i < 5; i += 1) await prices.record('SOL', T0 + HOUR + i * 1_000, 50 + i, `new-${i}`);

    expect(await conn.zrange(prices.keyOf('SOL'), 0, -1)).toEqual(['19|old-9', '50|new-0', '51|new-1', '52|new-2', '53|new-3', '54|new-4']);
    expect(await prices.priceAt('SOL', T0 + HOUR - 1)).toBe(19);
  });
});
