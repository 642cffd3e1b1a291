/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { el, setText } from './dom';
import { formatChange, formatClock, formatPrice, type PriceRow } from './price-view-model';

/**
 * Shows `row` in the prices table body: updates the symbol's row (`data-testid="price-<SYMBOL>"`)
 * in place, or inserts it in symbol order.
 */
export function renderPriceRow(tbody: HTMLTableSectionElement, row: PriceRow): void {
  const testId = `price-${row.symbol}`;
  let tr = [...tbody.rows].find((r) => r.dataset['testid'] === testId);
  if (tr === undefined) {
    tr = el('tr', { 'data-testid': testId, 'data-symbol': row.symbol });
    tr.append(
      el('th', { scope: 'row', 'data-testid': `${testId}-symbol` }, row.symbol),
      el('td', { 'data-testid': `${testId}-value`, class: 'num' }),
      el('td', { 'data-testid': `${testId}-change`, class: 'num' }),
      el('td', { 'data-testid': `${testId}-updated` }),
    );
    const after = [...tbody.rows].find((r) => (r.dataset['symbol'] ?? '').localeCompare(row.symbol) > 0);
    tbody.insertBefore(tr, after ?? null);
  }
  const change = formatChange(row.change, row.changePct);
  tr.dataset['price'] = String(row.price);
  tr.dataset['direction'] = change.direction;
  const [, value, changeCell, updated] = tr.cells;
  if (value) setText(value, formatPrice(row.price, row.currency));
  if (changeCell) setText(changeCell, change.text);
  if (updated) {
    setText(updated, formatClock(row.updatedAt));
    updated.setAttribute('title', new Date(row.updatedAt).toISOString());
  }
}
