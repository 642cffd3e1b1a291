import { ApiError } from '../api/api-error';
import { RULE_KINDS, type AlertApi, type RuleJson } from '../api/alert-api';
import { button, el, setText } from '../ui/dom';
import { clearFieldErrors, fieldElement, fieldGroup, readForm, showFieldErrors, type FieldSpec } from '../ui/form-fields';
import { renderKeyed } from '../ui/keyed-list';
import { Modal } from '../ui/modal';
import { COMMON_FIELDS, isRuleKind, KIND_FIELDS, ruleFormValues, ruleFromForm, ruleTarget, ruleThresholds } from './rule-form-model';

/** The elements of the rules panel and its dialog (index.html). */
export interface RulesPanelElements {
  readonly table: HTMLTableSectionElement;
  readonly empty: HTMLElement;
  readonly error: HTMLElement;
  readonly status: HTMLElement;
  readonly create: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  readonly dialogTitle: HTMLElement;
  readonly form: HTMLFormElement;
  readonly fields: HTMLElement;
  readonly formError: HTMLElement;
}

const PREFIX = 'rule';

/**
 * The rules: a table with each rule's target and thresholds, a switch to enable or disable it
 * and an Edit button; a New rule button. Create and edit share one dialog form whose inputs are
 * named after the API's fields, so the `400 invalid_request` errors (`errors[].field`) are shown
 * at the field they concern. The API alone validates. `onChange` runs after every change.
 */
export class RulesPanel {
  private rules: RuleJson[] = [];
  private editing: RuleJson | undefined;
  private readonly busy = new Set<string>();
  private readonly modal: Modal;

  constructor(
    private readonly page: RulesPanelElements,
    private readonly api: AlertApi,
    private readonly onChange: (rules: readonly RuleJson[]) => void,
  ) {
    this.modal = new Modal(page.dialog);
    page.create.addEventListener('click', () => this.openForm(undefined));
    page.table.addEventListener('click', (event) => {
      const target = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
      const rule = this.rules.find((r) => r.id === target?.closest<HTMLElement>('tr')?.dataset['key']);
      if (!target || !rule || target.disabled) return;
      if (target.dataset['action'] === 'edit') this.openForm(rule);
      else if (target.dataset['action'] === 'toggle') void this.toggle(rule);
    });
    page.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    page.form.addEventListener('change', (event) => {
      if ((event.target as Element | null)?.getAttribute('name') === 'kind') this.renderFields(readForm(page.form));
    });
  }

  /** Loads the rules from the API and shows them (or why not). */
  async load(): Promise<void> {
    try {
      this.rules = await this.api.listRules();
      this.showError(undefined);
      this.render();
      this.onChange(this.rules);
    } catch (error) {
      this.showError(`Cannot load the rules: ${(error as Error).message}`);
    }
  }

  private render(): void {
    renderKeyed(this.page.table, this.rules, (r) => r.id, (r) => this.createRow(r), (row, r) => this.updateRow(row, r));
    this.page.empty.hidden = this.rules.length > 0;
  }

  private createRow(rule: RuleJson): HTMLTableRowElement {
    const row = el('tr', { 'data-testid': `rule-${rule.id}` });
    const name = el('th', { scope: 'row' });
    name.append(el('span', { 'data-role': 'name' }), el('small', { class: 'id' }, rule.id));
    const toggle = button('', { role: 'switch', 'data-action': 'toggle', 'data-testid': `rule-toggle-${rule.id}`, class: 'switch' });
    const edit = button('Edit', { 'data-action': 'edit', 'data-testid': `rule-edit-${rule.id}`, class: 'secondary' });
    const actions = el('td', { class: 'row-actions' });
    actions.append(toggle, edit);
    row.append(name, el('td', { 'data-role': 'kind' }), el('td', { 'data-role': 'target' }), el('td', { 'data-role': 'thresholds', class: 'num' }), actions);
    return row;
  }

  private updateRow(row: HTMLTableRowElement, rule: RuleJson): void {
    const part = (role: string) => row.querySelector<HTMLElement>(`[data-role="${role}"]`) as HTMLElement;
    row.dataset['enabled'] = String(rule.enabled);
    setText(part('name'), rule.name);
    setText(part('kind'), rule.kind.replace('_', ' '));
    setText(part('target'), ruleTarget(rule));
    setText(part('thresholds'), ruleThresholds(rule));
    const toggle = row.querySelector<HTMLButtonElement>('button[data-action="toggle"]') as HTMLButtonElement;
    toggle.setAttribute('aria-checked', String(rule.enabled));
    toggle.setAttribute('aria-label', `Enabled: ${rule.name}`);
    setText(toggle, rule.enabled ? 'On' : 'Off');
    toggle.disabled = this.busy.has(rule.id);
    row.querySelector<HTMLButtonElement>('button[data-action="edit"]')?.setAttribute('aria-label', `Edit ${rule.name}`);
  }

  private async toggle(rule: RuleJson): Promise<void> {
    this.busy.add(rule.id);
    this.render();
    try {
      const saved = await this.api.replaceRule(rule.id, { ...rule, enabled: !rule.enabled });
      this.rules = this.rules.map((r) => (r.id === saved.id ? saved : r));
      this.showError(undefined);
      this.announce(`${saved.name} ${saved.enabled ? 'enabled' : 'disabled'}.`);
    } catch (error) {
      this.showError(`Cannot ${rule.enabled ? 'disable' : 'enable'} ${rule.id}: ${(error as Error).message}`);
    } finally {
      this.busy.delete(rule.id);
      this.render();
    }
  }

  private openForm(rule: RuleJson | undefined): void {
    this.editing = rule;
    setText(this.page.dialogTitle, rule === undefined ? 'New rule' : `Edit rule ${rule.id}`);
    this.page.dialog.dataset['mode'] = rule === undefined ? 'create' : 'edit';
    this.renderFields(ruleFormValues(rule));
    this.showFormError(undefined);
    this.modal.open(this.page.form.querySelector<HTMLElement>('input:not([readonly]), select') ?? undefined);
  }

  /** Builds the form's inputs for the values' kind, keeping the values. */
  private renderFields(values: Readonly<Record<string, string>>): void {
    const kind = isRuleKind(values['kind'] ?? '') ? (values['kind'] as keyof typeof KIND_FIELDS) : 'price_threshold';
    const field = (spec: FieldSpec) => fieldElement(PREFIX, spec, values[spec.name] ?? '');
    const id = field({ name: 'id', label: 'Id', type: 'text', hint: 'lowercase letters, digits, ".", "_" and "-"; cannot change later' });
    if (this.editing !== undefined) id.querySelector('input')?.setAttribute('readonly', '');
    const severities = fieldGroup(PREFIX, 'severities', 'Thresholds (one at least)');
    severities.append(...COMMON_FIELDS.filter((f) => f.name.startsWith('severities.')).map((f) => field(f)));
    this.page.fields.replaceChildren(
      id,
      field({ name: 'name', label: 'Name', type: 'text' }),
      field({ name: 'kind', label: 'Kind', type: 'select', options: RULE_KINDS, optionLabel: (k) => k.replace('_', ' ') }),
      ...KIND_FIELDS[kind].map((f) => field(f)),
      severities,
      ...COMMON_FIELDS.filter((f) => !f.name.startsWith('severities.')).map((f) => field(f)),
      field({ name: 'enabled', label: 'Enabled', type: 'checkbox' }),
    );
  }

  private async submit(): Promise<void> {
    const form = this.page.form;
    clearFieldErrors(form);
    this.showFormError(undefined);
    const body = ruleFromForm(readForm(form), this.editing);
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const saved = this.editing === undefined ? await this.api.createRule(body) : await this.api.replaceRule(this.editing.id, body);
      this.modal.close();
      this.announce(`Rule ${saved.id} ${this.editing === undefined ? 'created' : 'saved'}.`);
      await this.load();
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        const rest = showFieldErrors(form, error.fields);
        this.showFormError(rest.length > 0 ? `Not saved: ${rest.map((e) => `${e.field}: ${e.message}`).join('; ')}` : 'Not saved: correct the marked fields.');
      } else {
        this.showFormError(`Not saved: ${(error as Error).message}`);
      }
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  private showFormError(message: string | undefined): void {
    setText(this.page.formError, message ?? '');
    this.page.formError.hidden = message === undefined;
  }

  private showError(message: string | undefined): void {
    setText(this.page.error, message ?? '');
    this.page.error.hidden = message === undefined;
  }

  private announce(message: string): void {
    setText(this.page.status, message);
  }
}
