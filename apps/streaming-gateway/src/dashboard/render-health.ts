/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { el } from './dom';
import { formatClock } from './price-view-model';
import type { ServiceHealth } from './health-view-model';

/** Shows one badge per service (`data-testid="health-<service>"`, `data-status`). */
export function renderHealth(list: HTMLUListElement, services: readonly ServiceHealth[]): void {
  list.replaceChildren(
    ...services.map((health) => {
      const item = el('li', { 'data-testid': `health-${health.service}`, 'data-status': health.status, class: 'health' });
      const who = health.instance ? `${health.service} (${health.instance})` : health.service;
      item.append(
        el('span', { class: `badge status-${health.status}` }, health.status),
        el('span', { class: 'service' }, who),
        el('span', { class: 'reason' }, health.reason),
        el('time', { datetime: new Date(health.updatedAt).toISOString() }, formatClock(health.updatedAt)),
      );
      return item;
    }),
  );
}
