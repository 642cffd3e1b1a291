import { button, el, setText } from '../ui/dom';
import { formatClock } from '../ui/format';
import { renderKeyed } from '../ui/keyed-list';
import { filterAlerts, filterChoices, NO_FILTERS, type AlertFilters } from './alert-filters';
import { reduceAlerts, sortAlerts, type AlertsAction, type AlertView } from './alert-view-model';

/** An action a button of an alert asks for. */
export type AlertActionRequest = { readonly id: string } & ({ readonly action: 'acknowledge' | 'resolve' } | { readonly action: 'snooze'; readonly minutes: number });

/** Snooze durations offered, in minutes (the API accepts 5 to 1440). */
export const SNOOZE_CHOICES: readonly number[] = [5, 15, 30, 60, 240, 1440];

const SEVERITY_NAMES: Readonly<Record<string, string>> = { S1: 'info', S2: 'major', S3: 'critical' };
const STATUS_CHOICES: ReadonlyArray<[string, string]> = [
  ['', 'All'],
  ['active', 'Active'],
  ['firing', 'Firing'],
  ['acknowledged', 'Acknowledged'],
  ['snoozed', 'Snoozed'],
  ['resolved', 'Resolved'],
];
const SEVERITY_CHOICES: ReadonlyArray<[string, string]> = [
  ['', 'All'],
  ['S3', 'S3 critical'],
  ['S2', 'S2 major'],
  ['S1', 'S1 info'],
];

/** What the alerts panel calls back for. */
export interface AlertsPanelHandlers {
  /** Acknowledge, snooze or resolve. */
  action(request: AlertActionRequest): void;
  /** Show the alert's history. */
  history(alert: AlertView): void;
  /** Open the silence form for the alert. */
  silence(alert: AlertView): void;
}

/** The panel's elements (index.html). */
export interface AlertsPanelElements {
  readonly list: HTMLUListElement;
  readonly empty: HTMLElement;
  readonly error: HTMLElement;
  readonly filters: HTMLFormElement;
}

function snoozeLabel(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : minutes === 1440 ? '1 day' : `${minutes / 60} h`;
}

function fillSelect(select: HTMLSelectElement, choices: ReadonlyArray<[string, string]>): void {
  const keep = select.value;
  const same = select.options.length === choices.length && choices.every(([value, label], i) => select.options[i]?.value === value && select.options[i]?.text === label);
  if (!same) {
    select.replaceChildren(...choices.map(([value, label]) => el('option', { value }, label)));
    select.value = choices.some(([value]) => value === keep) ? keep : '';
  }
}

/**
 * The alerts: active ones first, then recently resolved ones; each with Acknowledge, Snooze,
 * Resolve, History and Silence buttons; filtered by severity, status, rule and symbol. Keeps the
 * alert list state (`reduceAlerts`) and renders it, reusing each alert's `<li>` so focus and
 * the chosen snooze duration survive updates.
 */
export class AlertsPanel {
  private alerts = new Map<string, AlertView>();
  private readonly busy = new Set<string>();
  private filters: AlertFilters = NO_FILTERS;
  private ruleIds: readonly string[] = [];

  constructor(
    private readonly page: AlertsPanelElements,
    private readonly handlers: AlertsPanelHandlers,
  ) {
    this.buildFilters();
    page.list.addEventListener('click', (event) => this.onClick(event));
  }

  /** Applies a snapshot or a change (see `reduceAlerts`) and redraws. */
  apply(action: AlertsAction): void {
    this.alerts = reduceAlerts(this.alerts, action);
    this.render();
  }

  /** The alert with `id`, if shown. */
  get(id: string): AlertView | undefined {
    return this.alerts.get(id);
  }

  /** Marks an alert busy (its buttons disabled while an action runs) or not. */
  setBusy(id: string, busy: boolean): void {
    if (busy) this.busy.add(id);
    else this.busy.delete(id);
    this.render();
  }

  /** The rule ids the rule filter offers besides those of shown alerts. */
  setRules(ruleIds: readonly string[]): void {
    this.ruleIds = ruleIds;
    this.render();
  }

  /** Shows an error above the list, or hides it. */
  showError(message: string | undefined): void {
    setText(this.page.error, message ?? '');
    this.page.error.hidden = message === undefined;
  }

  private buildFilters(): void {
    const form = this.page.filters;
    const select = (name: keyof AlertFilters, label: string) => {
      const id = `alert-filter-${name}`;
      const control = el('select', { id, name, 'data-testid': id });
      const wrapper = el('div', { class: 'filter' });
      wrapper.append(el('label', { for: id }, label), control);
      form.append(wrapper);
      return control;
    };
    fillSelect(select('severity', 'Severity'), SEVERITY_CHOICES);
    fillSelect(select('status', 'Status'), STATUS_CHOICES);
    fillSelect(select('rule', 'Rule'), [['', 'All']]);
    fillSelect(select('symbol', 'Symbol'), [['', 'All']]);
    form.addEventListener('change', () => {
      const value = (name: string) => (form.elements.namedItem(name) as HTMLSelectElement | null)?.value ?? '';
      this.filters = { severity: value('severity') as AlertFilters['severity'], status: value('status') as AlertFilters['status'], rule: value('rule'), symbol: value('symbol') };
      this.render();
    });
    form.addEventListener('submit', (event) => event.preventDefault());
  }

  private render(): void {
    const sorted = sortAlerts(this.alerts.values());
    const choices = filterChoices(sorted, this.ruleIds);
    const control = (name: string) => this.page.filters.elements.namedItem(name) as HTMLSelectElement;
    fillSelect(control('rule'), [['', 'All'], ...choices.rules.map((r): [string, string] => [r, r])]);
    fillSelect(control('symbol'), [['', 'All'], ...choices.symbols.map((s): [string, string] => [s, s])]);
    const shown = filterAlerts(sorted, this.filters);
    renderKeyed(this.page.list, shown, (a) => a.id, (a) => this.createItem(a.id), (item, a) => this.updateItem(item, a));
    const filtered = this.filters !== NO_FILTERS && Object.values(this.filters).some((v) => v !== '');
    this.page.empty.hidden = shown.some((a) => a.status !== 'resolved');
    setText(this.page.empty, filtered ? 'No active alerts match these filters.' : 'No active alerts.');
  }

  private createItem(id: string): HTMLLIElement {
    const item = el('li', { 'data-testid': `alert-${id}`, 'data-alert-id': id, class: 'alert' });
    const head = el('div', { class: 'alert-head' });
    head.append(
      el('span', { class: 'badge', 'data-role': 'severity' }),
      el('strong', { 'data-testid': `alert-${id}-summary`, 'data-role': 'summary' }),
      el('span', { class: 'badge muted', 'data-role': 'silenced', 'data-testid': `alert-${id}-silenced`, hidden: '' }, 'silenced'),
      el('span', { class: 'status', 'data-testid': `alert-${id}-status`, 'data-role': 'status' }),
    );
    const select = el('select', { id: `snooze-minutes-${id}`, 'data-testid': `snooze-minutes-${id}` });
    for (const minutes of SNOOZE_CHOICES) select.append(el('option', { value: String(minutes) }, snoozeLabel(minutes)));
    select.value = '15';
    const actions = el('div', { class: 'actions', role: 'group', 'data-role': 'actions' });
    actions.append(
      button('Acknowledge', { 'data-testid': `ack-${id}`, 'data-action': 'acknowledge' }),
      el('label', { for: `snooze-minutes-${id}` }, 'Snooze for'),
      select,
      button('Snooze', { 'data-testid': `snooze-${id}`, 'data-action': 'snooze' }),
      button('Resolve', { 'data-testid': `resolve-${id}`, 'data-action': 'resolve' }),
      button('History', { 'data-testid': `history-${id}`, 'data-action': 'history', class: 'secondary' }),
      button('Silence…', { 'data-testid': `silence-${id}`, 'data-action': 'silence', class: 'secondary' }),
    );
    item.append(head, el('p', { class: 'description', 'data-role': 'description' }), el('p', { class: 'meta', 'data-role': 'meta' }), actions);
    return item;
  }

  private updateItem(item: HTMLLIElement, alert: AlertView): void {
    const part = (role: string) => item.querySelector<HTMLElement>(`[data-role="${role}"]`) as HTMLElement;
    const busy = this.busy.has(alert.id);
    item.dataset['status'] = alert.status;
    item.dataset['severity'] = alert.severity;
    item.dataset['silenced'] = String(alert.silenced);
    const severity = part('severity');
    severity.className = `badge severity-${alert.severity}`;
    setText(severity, `${alert.severity} ${SEVERITY_NAMES[alert.severity] ?? ''}`.trim());
    setText(part('summary'), alert.summary);
    part('silenced').hidden = !alert.silenced;
    setText(part('status'), alert.status);
    setText(part('description'), alert.description);
    part('description').hidden = alert.description === '';
    const meta = [
      `rule ${alert.ruleId}`,
      alert.value === undefined ? '' : `value ${alert.value}`,
      `since ${formatClock(alert.startsAt)}`,
      alert.acknowledgedBy ? `acknowledged by ${alert.acknowledgedBy}` : '',
      alert.status === 'snoozed' && alert.snoozedUntil ? `snoozed until ${formatClock(alert.snoozedUntil)}` : '',
      alert.suggestedAction ? `suggested: ${alert.suggestedAction}` : '',
    ].filter(Boolean);
    setText(part('meta'), meta.join(' · '));
    const actions = part('actions');
    actions.setAttribute('aria-label', `Actions for alert: ${alert.summary}`);
    actions.setAttribute('aria-busy', String(busy));
    const resolved = alert.status === 'resolved';
    for (const control of Array.from(actions.querySelectorAll<HTMLButtonElement | HTMLSelectElement>('button, select'))) {
      const action = control.dataset['action'];
      if (action === 'history' || action === 'silence') continue;
      control.disabled = busy || resolved || (action === 'acknowledge' && alert.status === 'acknowledged');
    }
  }

  private onClick(event: Event): void {
    const target = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    const id = target?.closest<HTMLLIElement>('li[data-alert-id]')?.dataset['alertId'];
    const alert = id === undefined ? undefined : this.alerts.get(id);
    if (!target || !alert || target.disabled) return;
    const action = target.dataset['action'];
    if (action === 'history') this.handlers.history(alert);
    else if (action === 'silence') this.handlers.silence(alert);
    else if (action === 'snooze') {
      const select = this.page.list.querySelector<HTMLSelectElement>(`#snooze-minutes-${CSS.escape(alert.id)}`);
      this.handlers.action({ id: alert.id, action, minutes: Number(select?.value ?? '15') });
    } else if (action === 'acknowledge' || action === 'resolve') this.handlers.action({ id: alert.id, action });
  }
}
