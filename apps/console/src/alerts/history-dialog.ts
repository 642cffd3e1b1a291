import type { AlertChangeView } from '../api/alert-api';
import { el, setText } from '../ui/dom';
import { formatClock } from '../ui/format';
import { Modal } from '../ui/modal';
import type { AlertView } from './alert-view-model';

const CHANGE_NAMES: Readonly<Record<string, string>> = {
  'alert.raised': 'raised',
  'alert.updated': 'updated',
  'alert.acknowledged': 'acknowledged',
  'alert.snoozed': 'snoozed',
  'alert.resolved': 'resolved',
  'alert.escalated': 'escalated',
};

/** The elements of the history dialog (index.html). */
export interface HistoryDialogElements {
  readonly dialog: HTMLDialogElement;
  readonly title: HTMLElement;
  readonly status: HTMLElement;
  readonly list: HTMLOListElement;
}

/**
 * The history of one alert (`GET /alerts/{id}/history`): each change, oldest first, with its
 * time, who made it, the status, severity and value after it, and why it was not notified.
 * Issue 15's evidence (the stream events that moved the alert, with a small price chart around
 * the trigger) belongs in this dialog, below the list.
 */
export class HistoryDialog {
  private readonly modal: Modal;
  private shownId: string | undefined;

  constructor(private readonly page: HistoryDialogElements) {
    this.modal = new Modal(page.dialog);
  }

  /** Opens the dialog for `alert` and shows `history` once it resolves (or why it failed). */
  async show(alert: AlertView, history: Promise<AlertChangeView[]>): Promise<void> {
    this.shownId = alert.id;
    setText(this.page.title, `History: ${alert.summary}`);
    this.page.list.replaceChildren();
    this.page.dialog.dataset['alertId'] = alert.id;
    this.page.dialog.dataset['state'] = 'loading';
    setText(this.page.status, 'Loading…');
    this.page.status.hidden = false;
    this.modal.open();
    try {
      const changes = await history;
      if (this.shownId !== alert.id) return;
      this.page.list.replaceChildren(...changes.map((change) => this.item(change)));
      this.page.status.hidden = changes.length > 0;
      setText(this.page.status, 'No changes recorded.');
      this.page.dialog.dataset['state'] = 'loaded';
    } catch (error) {
      if (this.shownId !== alert.id) return;
      setText(this.page.status, `Cannot load the history: ${(error as Error).message}`);
      this.page.dialog.dataset['state'] = 'failed';
    }
  }

  private item(change: AlertChangeView): HTMLLIElement {
    const item = el('li', { class: 'change', 'data-type': change.type, 'data-testid': 'history-entry' });
    const time = el('time', { datetime: new Date(change.at).toISOString() }, formatClock(change.at));
    const what = el('strong', {}, CHANGE_NAMES[change.type] ?? change.type);
    const a = change.alert;
    const details = [`by ${change.actor}`, `${a.status}, ${a.severity}`, a.value === undefined ? '' : `value ${a.value}`, change.notify ? 'notified' : `not notified${change.suppressedBy ? ` (${change.suppressedBy})` : ''}`]
      .filter(Boolean)
      .join(' · ');
    item.append(time, ' ', what, ' ', el('span', { class: 'meta' }, details));
    if (change.suppressedBy) item.dataset['suppressedBy'] = change.suppressedBy;
    return item;
  }
}
