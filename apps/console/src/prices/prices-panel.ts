import { el, setText } from '../ui/dom';
import { formatChange, formatClock, formatPrice } from '../ui/format';
import { renderKeyed } from '../ui/keyed-list';
import { PriceChart } from './price-chart';
import { PRICE_WINDOW_MS, PriceSeries, type PriceTick } from './price-series';

/**
 * The prices: one card per symbol (`data-testid="price-<SYMBOL>"`) with its latest price, its
 * change over the window, and a chart of the last {@link PRICE_WINDOW_MS}. Ticks are taken
 * as they come; the page is redrawn at most once per animation frame, whatever the rate.
 * A snapshot on connect (issue 15's `snapshot: true`) arrives as one more tick and shows at once.
 */
export class PricesPanel {
  private readonly series = new Map<string, PriceSeries>();
  private readonly charts = new Map<string, PriceChart>();
  private readonly dirty = new Set<string>();
  private frame: number | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly empty: HTMLElement,
  ) {}

  /** Adds a price; drawn at the next frame. */
  add(tick: PriceTick): void {
    let series = this.series.get(tick.symbol);
    if (series === undefined) {
      series = new PriceSeries(tick.symbol);
      this.series.set(tick.symbol, series);
    }
    if (!series.add(tick)) return;
    this.dirty.add(tick.symbol);
    this.frame ??= requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = undefined;
    const all = [...this.series.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
    renderKeyed(
      this.list,
      all,
      (s) => s.symbol,
      (s) => this.createCard(s.symbol),
      (card, s) => {
        if (this.dirty.has(s.symbol)) this.updateCard(card, s);
      },
    );
    this.empty.hidden = all.length > 0;
    this.dirty.clear();
  }

  private createCard(symbol: string): HTMLLIElement {
    const id = `price-${symbol}`;
    const card = el('li', { class: 'price-card', 'data-testid': id, 'data-symbol': symbol });
    const chart = el('div', { class: 'chart', 'data-testid': `chart-${symbol}`, role: 'img', 'data-points': '0' });
    card.append(
      el('h3', { 'data-testid': `${id}-symbol` }, symbol),
      el('p', { class: 'value', 'data-testid': `${id}-value` }),
      el('p', { class: 'change', 'data-testid': `${id}-change` }),
      el('time', { class: 'updated', 'data-testid': `${id}-updated` }),
      chart,
    );
    return card;
  }

  private updateCard(card: HTMLLIElement, series: PriceSeries): void {
    const latest = series.latest;
    if (latest === undefined) return;
    const change = formatChange(series.change?.change, series.change?.changePct);
    card.dataset['price'] = String(latest.price);
    card.dataset['direction'] = change.direction;
    const [, value, changeText, updated, host] = Array.from(card.children) as HTMLElement[];
    if (value) setText(value, formatPrice(latest.price, series.currency));
    if (changeText) setText(changeText, `${change.text} in ${PRICE_WINDOW_MS / 60_000} min`);
    if (updated) {
      setText(updated, `at ${formatClock(latest.time)}`);
      updated.setAttribute('datetime', new Date(latest.time).toISOString());
    }
    if (host) {
      host.setAttribute('aria-label', `${series.symbol} over the last ${PRICE_WINDOW_MS / 60_000} minutes: ${series.length} prices, latest ${formatPrice(latest.price, series.currency)}`);
      let chart = this.charts.get(series.symbol);
      if (chart === undefined) {
        chart = new PriceChart(host);
        this.charts.set(series.symbol, chart);
      }
      chart.setData(series.data());
    }
  }
}
