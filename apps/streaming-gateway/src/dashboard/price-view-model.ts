import type { CloudEvent } from '@rebal/gateway-client';

/** One row of the prices table. */
export interface PriceRow {
  /** The symbol, e.g. `BTC`. */
  readonly symbol: string;
  /** The latest price (> 0). */
  readonly price: number;
  /** ISO 4217-like currency of the price, e.g. `USD`. */
  readonly currency: string;
  /** Latest price minus the previous one seen on this page; undefined for the first. */
  readonly change: number | undefined;
  /** The change in percent of the previous price; undefined for the first. */
  readonly changePct: number | undefined;
  /** When the price was observed (the event's `time`), ms since the epoch. */
  readonly updatedAt: number;
}

/** How a change is shown. */
export interface FormattedChange {
  /** E.g. `+12.50 (+0.02%)`, `−3.10 (−1.20%)`, `0.00 (0.00%)`, or `—` for none. */
  readonly text: string;
  /** For styling and the `data-direction` attribute. */
  readonly direction: 'up' | 'down' | 'flat' | 'none';
}

/**
 * The row after a `price_update` event, given the symbol's previous row; undefined when the
 * event is not a usable `price_update` (other type, missing symbol, non-positive price).
 */
export function priceRowFromEvent(previous: PriceRow | undefined, event: CloudEvent): PriceRow | undefined {
  if (event.type !== 'price_update' || typeof event.data !== 'object' || event.data === null) return undefined;
  const data = event.data as { symbol?: unknown; price?: unknown; currency?: unknown };
  if (typeof data.symbol !== 'string' || data.symbol.length === 0) return undefined;
  if (typeof data.price !== 'number' || !Number.isFinite(data.price) || data.price <= 0) return undefined;
  const time = Date.parse(event.time);
  const change = previous === undefined ? undefined : data.price - previous.price;
  return {
    symbol: data.symbol,
    price: data.price,
    currency: typeof data.currency === 'string' && data.currency.length > 0 ? data.currency : 'USD',
    change,
    changePct: change === undefined || previous === undefined ? undefined : (change / previous.price) * 100,
    updatedAt: Number.isFinite(time) ? time : Date.now(),
  };
}

/** Decimals that keep a price readable: 2 from 1 up, more below (0.000123 stays visible). */
function fractionDigits(value: number): number {
  const abs = Math.abs(value);
  if (abs >= 1 || abs === 0) return 2;
  return Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(abs)) + 2));
}

/** A price with its currency, e.g. `$64,250.50`, `0.000123 USDT` for codes Intl does not know. */
export function formatPrice(price: number, currency: string): string {
  const digits = fractionDigits(price);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(price);
  } catch {
    return `${new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(price)} ${currency}`;
  }
}

/** A change and its percentage, signed, with a direction. */
export function formatChange(change: number | undefined, changePct: number | undefined): FormattedChange {
  if (change === undefined || changePct === undefined) return { text: '—', direction: 'none' };
  const direction = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  const sign = direction === 'up' ? '+' : direction === 'down' ? '−' : '';
  const digits = fractionDigits(change);
  const amount = Math.abs(change).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const pct = Math.abs(changePct).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return { text: `${sign}${amount} (${sign}${pct}%)`, direction };
}

/** A time of day `HH:MM:SS`, 24-hour, in `timeZone` (default: the browser's). */
export function formatClock(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).format(ms);
}
