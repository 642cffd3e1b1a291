import { el, setText } from '../ui/dom';
import { formatClock, formatCount } from '../ui/format';
import { renderKeyed } from '../ui/keyed-list';
import { serviceRows, SYSTEM_KEY, type HealthView, type ServiceRow, type StreamHealth } from './health-view-model';

/** The elements of the health panel (index.html). */
export interface HealthPanelElements {
  readonly overall: HTMLElement;
  readonly note: HTMLElement;
  readonly services: HTMLUListElement;
  readonly streams: HTMLTableSectionElement;
  readonly thresholds: HTMLElement;
}

/**
 * System health: the overall status (`data-testid="health-overall"`, `data-status`, and
 * `data-source`: `status` from the monitor's snapshot, `event` from a transition), each service
 * (`health-<service>`), and per stream its length, lag, pending entries and dead letters, marked
 * `warning` past the monitor's thresholds.
 */
export class HealthPanel {
  constructor(private readonly page: HealthPanelElements) {}

  /** Shows `view`. */
  render(view: HealthView): void {
    const system = view.scopes.get(SYSTEM_KEY);
    const overall = this.page.overall;
    if (system === undefined) {
      overall.dataset['status'] = 'unknown';
      delete overall.dataset['source'];
      overall.replaceChildren(el('span', { class: 'badge status-unknown' }, 'unknown'), ' ', el('span', { class: 'reason' }, 'No status yet.'));
    } else {
      overall.dataset['status'] = system.status;
      overall.dataset['source'] = system.source;
      const when = system.source === 'status' ? `checked at ${formatClock(system.updatedAt)}` : `changed at ${formatClock(system.updatedAt)}`;
      overall.replaceChildren(
        el('span', { class: `badge status-${system.status}`, 'data-testid': 'health-overall-status' }, system.status),
        ' ',
        el('span', { class: 'reason' }, system.reason),
        ' ',
        el('time', { datetime: new Date(system.updatedAt).toISOString() }, when),
      );
    }
    renderKeyed(this.page.services, serviceRows(view), (s) => s.service, (s) => this.createService(s.service), (item, s) => this.updateService(item, s));
    renderKeyed(this.page.streams, view.streams, (s) => s.name, (s) => this.createStream(s.name), (row, s) => this.updateStream(row, s));
    const t = view.thresholds;
    setText(this.page.thresholds, t === undefined ? '' : `Marked past the monitor's thresholds: lag above ${formatCount(t.maxLag)}, pending growing at ${t.pendingGrowthChecks} checks in a row; any dead letter.`);
  }

  /** Says where the status comes from, or why it is missing. */
  note(text: string): void {
    setText(this.page.note, text);
    this.page.note.hidden = text === '';
  }

  private createService(service: string): HTMLLIElement {
    const item = el('li', { class: 'service', 'data-testid': `health-${service}` });
    item.append(el('span', { class: 'badge', 'data-role': 'status' }), ' ', el('span', { class: 'name' }, service), ' ', el('span', { class: 'reason', 'data-role': 'reason' }));
    return item;
  }

  private updateService(item: HTMLLIElement, row: ServiceRow): void {
    item.dataset['status'] = row.status;
    const badge = item.querySelector<HTMLElement>('[data-role="status"]') as HTMLElement;
    badge.className = `badge status-${row.status}`;
    setText(badge, row.status);
    const instances = row.instances.length === 0 ? '' : ` (${row.instances.map((i) => `${i.instance} ${i.status}`).join(', ')})`;
    setText(item.querySelector('[data-role="reason"]') as HTMLElement, `${row.reason}${instances}`);
  }

  private createStream(name: string): HTMLTableRowElement {
    const row = el('tr', { 'data-testid': `stream-${name}` });
    row.append(el('th', { scope: 'row' }, name), ...['length', 'lag', 'pending', 'dead-letters'].map((role) => el('td', { class: 'num', 'data-role': role })));
    return row;
  }

  private updateStream(row: HTMLTableRowElement, stream: StreamHealth): void {
    const cell = (role: string, text: string, warning: boolean, why: string) => {
      const td = row.querySelector<HTMLElement>(`[data-role="${role}"]`) as HTMLElement;
      setText(td, text);
      td.classList.toggle('warning', warning);
      td.dataset['warning'] = String(warning);
      if (warning) td.setAttribute('title', why);
      else td.removeAttribute('title');
    };
    row.dataset['warning'] = String(stream.lagWarning || stream.pendingWarning || stream.deadLetterWarning || stream.error !== undefined);
    cell('length', stream.error ? `error: ${stream.error}` : formatCount(stream.length), stream.error !== undefined, stream.error ?? '');
    cell('lag', formatCount(stream.lag), stream.lagWarning, 'a consumer group is behind more than the lag threshold');
    cell('pending', formatCount(stream.pending), stream.pendingWarning, 'pending entries keep growing');
    cell('dead-letters', formatCount(stream.deadLetters), stream.deadLetterWarning, 'events were dead-lettered');
  }
}
