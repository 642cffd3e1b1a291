import type { CloudEvent } from '@rebal/gateway-client';

/** How much history a chart shows: the last five minutes of event time. */
export const PRICE_WINDOW_MS = 5 * 60_000;
/** Most points kept per symbol, whatever the rate (a 5-minute window at 10 prices a second). */
export const MAX_POINTS = 3_000;

/** A usable `price_update`: its symbol, price, currency and event time (ms). */
export interface PriceTick {
  readonly symbol: string;
  readonly price: number;
  readonly currency: string;
  readonly time: number;
}

/** The price an event carries; undefined unless it is a `price_update` with a symbol and a positive price. */
export function priceTickFromEvent(event: CloudEvent): PriceTick | undefined {
  if (event.type !== 'price_update' || typeof event.data !== 'object' || event.data === null) return undefined;
  const data = event.data as { symbol?: unknown; price?: unknown; currency?: unknown };
  if (typeof data.symbol !== 'string' || data.symbol.length === 0) return undefined;
  if (typeof data.price !== 'number' || !Number.isFinite(data.price) || data.price <= 0) return undefined;
  const time = Date.parse(event.time);
  return {
    symbol: data.symbol,
    price: data.price,
    currency: typeof data.currency === 'string' && data.currency.length > 0 ? data.currency : 'USD',
    time: Number.isFinite(time) ? time : Date.now(),
  };
}

/**
 * One symbol's prices over the last {@link PRICE_WINDOW_MS} of event time, oldest first, in the
 * column form a uPlot chart takes (times in seconds). The window follows the newest event,
 * not the wall clock, so a replay after a reconnect draws as it happened. A late event is put
 * in its place; one older than the window is dropped.
 */
export class PriceSeries {
  /** Event times, seconds since the epoch (uPlot's time scale). */
  private readonly times: number[] = [];
  private readonly prices: number[] = [];
  private currencyValue = 'USD';

  constructor(
    readonly symbol: string,
    private readonly windowMs = PRICE_WINDOW_MS,
    private readonly maxPoints = MAX_POINTS,
  ) {}

  /** Adds a tick of this symbol; false when it fell outside the window. */
  add(tick: PriceTick): boolean {
    const t = tick.time / 1000;
    const newest = this.times.at(-1);
    if (newest !== undefined && t < newest - this.windowMs / 1000) return false;
    let at = this.times.length;
    while (at > 0 && (this.times[at - 1] ?? 0) > t) at--;
    this.times.splice(at, 0, t);
    this.prices.splice(at, 0, tick.price);
    this.currencyValue = tick.currency;
    const cutoff = (this.times.at(-1) ?? t) - this.windowMs / 1000;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) < cutoff) drop++;
    drop = Math.max(drop, this.times.length - this.maxPoints);
    if (drop > 0) {
      this.times.splice(0, drop);
      this.prices.splice(0, drop);
    }
    return true;
  }

  /** Points in the window. */
  get length(): number {
    return this.times.length;
  }

  /** The newest price and its time (ms); undefined before the first. */
  get latest(): { readonly price: number; readonly time: number } | undefined {
    const price = this.prices.at(-1);
    const time = this.times.at(-1);
    return price === undefined || time === undefined ? undefined : { price, time: time * 1000 };
  }

  /** The currency of the newest price. */
  get currency(): string {
    return this.currencyValue;
  }

  /** The newest price minus the oldest in the window, and that in percent of the oldest; undefined with fewer than two points. */
  get change(): { readonly change: number; readonly changePct: number } | undefined {
    const first = this.prices[0];
    const last = this.prices.at(-1);
    if (first === undefined || last === undefined || this.prices.length < 2) return undefined;
    return { change: last - first, changePct: ((last - first) / first) * 100 };
  }

  /** `[times in seconds, prices]`, copies (uPlot keeps the arrays it is given). */
  data(): [number[], number[]] {
    return [this.times.slice(), this.prices.slice()];
  }
}
