/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { AlertView } from './alert-view-model';
import { el, setText } from './dom';
import { formatClock } from './price-view-model';

/** An action a button of an alert asks for. */
export type AlertActionRequest = { readonly id: string } & ({ readonly action: 'acknowledge' | 'resolve' } | { readonly action: 'snooze'; readonly minutes: number });

/** Snooze durations offered, in minutes (the API accepts 5 to 1440). */
export const SNOOZE_CHOICES: readonly number[] = [5, 15, 30, 60, 240, 1440];

const SEVERITY_NAMES: Readonly<Record<string, string>> = { S1: 'info', S2: 'major', S3: 'critical' };

function snoozeLabel(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : minutes === 1440 ? '1 day' : `${minutes / 60} h`;
}

function createItem(alert: AlertView): HTMLLIElement {
  const id = alert.id;
  const item = el('li', { 'data-testid': `alert-${id}`, 'data-alert-id': id, class: 'alert' });
  const head = el('div', { class: 'alert-head' });
  head.append(
    el('span', { class: 'badge', 'data-role': 'severity' }),
    el('strong', { 'data-testid': `alert-${id}-summary`, 'data-role': 'summary' }),
    el('span', { class: 'status', 'data-testid': `alert-${id}-status`, 'data-role': 'status' }),
  );
  const select = el('select', { id: `snooze-minutes-${id}`, 'data-testid': `snooze-minutes-${id}` });
  for (const minutes of SNOOZE_CHOICES) select.append(el('option', { value: String(minutes) }, snoozeLabel(minutes)));
  select.value = '15';
  const actions = el('div', { class: 'actions', role: 'group', 'data-role': 'actions' });
  actions.append(
    el('button', { type: 'button', 'data-testid': `ack-${id}`, 'data-action': 'acknowledge' }, 'Acknowledge'),
    el('label', { for: `snooze-minutes-${id}` }, 'Snooze for'),
    select,
    el('button', { type: 'button', 'data-testid': `snooze-${id}`, 'data-action': 'snooze' }, 'Snooze'),
    el('button', { type: 'button', 'data-testid': `resolve-${id}`, 'data-action': 'resolve' }, 'Resolve'),
  );
  item.append(head, el('p', { class: 'description', 'data-role': 'description' }), el('p', { class: 'meta', 'data-role': 'meta' }), actions);
  return item;
}

function part(item: HTMLElement, role: string): HTMLElement {
  return item.querySelector<HTMLElement>(`[data-role="${role}"]`) as HTMLElement;
}

function updateItem(item: HTMLLIElement, alert: AlertView, busy: boolean): void {
  item.dataset['status'] = alert.status;
  item.dataset['severity'] = alert.severity;
  const severity = part(item, 'severity');
  severity.className = `badge severity-${alert.severity}`;
  setText(severity, `${alert.severity} ${SEVERITY_NAMES[alert.severity] ?? ''}`.trim());
  setText(part(item, 'summary'), alert.summary);
  setText(part(item, 'status'), alert.status);
  setText(part(item, 'description'), alert.description);
  const meta = [
    alert.value === undefined ? '' : `value ${alert.value}`,
    `since ${formatClock(alert.startsAt)}`,
    alert.acknowledgedBy ? `acknowledged by ${alert.acknowledgedBy}` : '',
    alert.status === 'snoozed' && alert.snoozedUntil ? `snoozed until ${formatClock(alert.snoozedUntil)}` : '',
    alert.suggestedAction ? `suggested: ${alert.suggestedAction}` : '',
  ].filter(Boolean);
  setText(part(item, 'meta'), meta.join(' · '));
  const actions = part(item, 'actions');
  actions.setAttribute('aria-label', `Actions for alert: ${alert.summary}`);
  actions.setAttribute('aria-busy', String(busy));
  const resolved = alert.status === 'resolved';
  for (const control of actions.querySelectorAll<HTMLButtonElement | HTMLSelectElement>('button, select')) {
    const action = control.dataset['action'];
    control.disabled = busy || resolved || (action === 'acknowledge' && alert.status === 'acknowledged');
  }
}

/**
 * Shows `alerts` (already sorted) in `list`, reusing each alert's `<li>` so focus and the
 * chosen snooze duration survive updates. `busy` ids get disabled buttons.
 */
export function renderAlerts(list: HTMLUListElement, alerts: readonly AlertView[], busy: ReadonlySet<string>): void {
  const existing = new Map<string, HTMLLIElement>();
  for (const item of list.querySelectorAll<HTMLLIElement>(':scope > li[data-alert-id]')) existing.set(item.dataset['alertId'] ?? '', item);
  const wanted = new Set(alerts.map((a) => a.id));
  for (const [id, item] of existing) if (!wanted.has(id)) item.remove();
  alerts.forEach((alert, index) => {
    const item = existing.get(alert.id) ?? createItem(alert);
    updateItem(item, alert, busy.has(alert.id));
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] ?? null);
  });
}

/** Calls `onAction` for clicks on the action buttons inside `list` (one delegated listener). */
export function onAlertAction(list: HTMLUListElement, onAction: (request: AlertActionRequest) => void): void {
  list.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    const item = button?.closest<HTMLLIElement>('li[data-alert-id]');
    const id = item?.dataset['alertId'];
    if (!button || !item || !id || button.disabled) return;
    const action = button.dataset['action'];
    if (action === 'snooze') {
      const minutes = Number(item.querySelector('select')?.value ?? '15');
      onAction({ id, action, minutes });
    } else if (action === 'acknowledge' || action === 'resolve') {
      onAction({ id, action });
    }
  });
}
