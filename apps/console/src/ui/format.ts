/** Decimals that keep a number readable: 2 from 1 up, more below (0.000123 stays visible). */
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

/** How a change is shown. */
export interface FormattedChange {
  /** E.g. `+12.50 (+0.02%)`, `−3.10 (−1.20%)`, `0.00 (0.00%)`, or `—` for none. */
  readonly text: string;
  /** For styling and the `data-direction` attribute. */
  readonly direction: 'up' | 'down' | 'flat' | 'none';
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

/** A date and time `YYYY-MM-DD HH:MM` in `timeZone` (default: the browser's), for silences that last days. */
export function formatDateTime(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** A whole number with thousands separators, or `—` for none. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}
