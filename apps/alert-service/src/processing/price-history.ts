import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisConnection } from '@rebal/redis-client';

/**
 * How long a symbol's history outlives its last write, beyond the window it keeps: a day, the
 * default idempotency TTL (ALERT_IDEMPOTENCY_TTL), the window in which a replay must evaluate
 * as it would have live. The TTL runs on the wall clock from the last write, and an outage
 * stops the writes but not the clock: with a shorter one, a backlog replayed after a long
 * outage would find the prices before the outage gone and evaluate no move across it.
 */
const IDLE_TTL_MS = 86_400_000;

const RECORD_SOURCE = readFileSync(join(__dirname, 'price-history-record.lua'), 'utf8');
const RECORD_SHA = createHash('sha1').update(RECORD_SOURCE).digest('hex');

/** Options of {@link PriceHistory}. */
export interface PriceHistoryOptions {
  /** The durable Redis (passed in). */
  redis: RedisConnection;
  /** Prefix of the per-symbol zsets, e.g. `staging:alert-service:prices:` (default `alert-service:prices:`). */
  keyPrefix?: string;
  /** History kept per symbol at least, ms; `record` is asked to keep the longest rule window (default 10 min). */
  retentionMs?: number;
}

/** A price lookup: the last price of `symbol` at or before `atMs`. */
export interface PriceLookup {
  symbol: string;
  atMs: number;
}

/**
 * Recent prices per symbol for `price_change` rules: a zset per symbol (score = event time,
 * member `<price>|<eventId>`, so a redelivered event adds nothing), trimmed to the
 * retention on every write (`price-history-record.lua`) except for the newest price older
 * than the retention, which stays the reference of a symbol quoted less often than that, and
 * with a TTL so symbols nobody quotes any more disappear (a day after their last write: see
 * `IDLE_TTL_MS`). Each symbol's key is its own slot:
 * no multi-key command spans symbols.
 */
export class PriceHistory {
  private readonly redis: RedisConnection;
  private readonly keyPrefix: string;
  private readonly retentionMs: number;

  /** @throws RangeError for a bad `retentionMs` */
  constructor(options: PriceHistoryOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'alert-service:prices:';
    this.retentionMs = options.retentionMs ?? 10 * 60_000;
    if (!Number.isInteger(this.retentionMs) || this.retentionMs < 1) throw new RangeError(`retentionMs must be a positive integer, got ${this.retentionMs}`);
  }

  /** The zset of a symbol. */
  keyOf(symbol: string): string {
    return `${this.keyPrefix}${symbol}`;
  }

  /**
   * Records one price (idempotent per `eventId`) and trims what is older than
   * max(retention, `keepMs`) before `atMs`, except the newest such price: a look-up within
   * that time still finds the last price quoted before it. One script, one round trip.
   */
  async record(symbol: string, atMs: number, price: number, eventId: string, keepMs = 0): Promise<void> {
    const keep = Math.max(this.retentionMs, keepMs);
    const args = [this.keyOf(symbol), String(atMs), `${price}|${eventId}`, String(atMs - keep), String(keep + IDLE_TTL_MS)];
    try {
      await this.redis.evalsha(RECORD_SHA, 1, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      await this.redis.eval(RECORD_SOURCE, 1, ...args);
    }
  }

  /** The last recorded price of `symbol` at or before `atMs`, or `undefined`. */
  async priceAt(symbol: string, atMs: number): Promise<number | undefined> {
    const [member] = await this.redis.zrevrangebyscore(this.keyOf(symbol), atMs, '-inf', 'LIMIT', 0, 1);
    if (member === undefined) return undefined;
    const price = Number(member.slice(0, member.indexOf('|')));
    return Number.isFinite(price) ? price : undefined;
  }

  /** {@link priceAt} for several lookups at once, keyed `<symbol>@<atMs>`. */
  async pricesAt(lookups: readonly PriceLookup[]): Promise<Map<string, number | undefined>> {
    const prices = new Map<string, number | undefined>();
    await Promise.all(
      lookups.map(async ({ symbol, atMs }) => {
        prices.set(`${symbol}@${atMs}`, await this.priceAt(symbol, atMs));
      }),
    );
    return prices;
  }
}
