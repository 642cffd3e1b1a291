import { ApiError } from '../api/api-error';
import type { AlertApi, SilenceView } from '../api/alert-api';
import { button, el, setText } from '../ui/dom';
import { clearFieldErrors, fieldElement, fieldGroup, readForm, showFieldErrors } from '../ui/form-fields';
import { formatDateTime } from '../ui/format';
import { renderKeyed } from '../ui/keyed-list';
import { Modal } from '../ui/modal';
import { durationLabel, matchersText, SILENCE_DURATIONS, silenceFromForm, type MatcherRow } from './silence-form-model';

/** The elements of the silences panel and its dialog (index.html). */
export interface SilencesPanelElements {
  readonly list: HTMLUListElement;
  readonly empty: HTMLElement;
  readonly error: HTMLElement;
  readonly status: HTMLElement;
  readonly create: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  readonly form: HTMLFormElement;
  readonly fields: HTMLElement;
  readonly formError: HTMLElement;
}

const PREFIX = 'silence';

/**
 * The silences that are active or pending, each with an Expire button, and a New silence
 * button whose dialog form takes matchers (label name, value, regex or not), a length and a
 * comment; the API validates, and its errors (`matchers[0].value`, `comment`, ...) are shown at
 * the fields. An alert's Silence button opens the form with matchers for that alert.
 */
export class SilencesPanel {
  private silences: SilenceView[] = [];
  private readonly busy = new Set<string>();
  private readonly modal: Modal;
  private rows: MatcherRow[] = [];

  constructor(
    private readonly page: SilencesPanelElements,
    private readonly api: AlertApi,
    private readonly now: () => number = Date.now,
  ) {
    this.modal = new Modal(page.dialog);
    page.create.addEventListener('click', () => this.open([{ name: '', value: '', isRegex: false }]));
    page.list.addEventListener('click', (event) => {
      const target = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action="expire"]');
      const silence = this.silences.find((s) => s.id === target?.closest<HTMLElement>('li')?.dataset['key']);
      if (target && silence && !target.disabled) void this.expire(silence);
    });
    page.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    page.form.addEventListener('click', (event) => {
      if (!(event.target as Element | null)?.closest('button[data-action="add-matcher"]')) return;
      this.rows = this.readRows();
      this.rows.push({ name: '', value: '', isRegex: false });
      this.renderFields(readForm(page.form));
      page.form.querySelector<HTMLInputElement>(`[name="matchers[${this.rows.length - 1}].name"]`)?.focus();
    });
  }

  /** Loads the silences from the API and shows them (or why not). */
  async load(): Promise<void> {
    try {
      this.silences = (await this.api.listSilences()).filter((s) => s.state !== 'expired');
      this.showError(undefined);
      this.render();
    } catch (error) {
      this.showError(`Cannot load the silences: ${(error as Error).message}`);
    }
  }

  /** Opens the form with these matcher rows. */
  open(rows: readonly MatcherRow[]): void {
    this.rows = [...rows];
    this.renderFields({});
    this.showFormError(undefined);
    this.modal.open(this.page.form.querySelector<HTMLElement>('input') ?? undefined);
  }

  private render(): void {
    renderKeyed(this.page.list, this.silences, (s) => s.id, (s) => this.createItem(s), (item, s) => this.updateItem(item, s));
    this.page.empty.hidden = this.silences.length > 0;
  }

  private createItem(silence: SilenceView): HTMLLIElement {
    const item = el('li', { class: 'silence', 'data-testid': `silence-${silence.id}` });
    const head = el('div', { class: 'silence-head' });
    head.append(el('span', { class: 'badge', 'data-role': 'state' }), el('code', { 'data-role': 'matchers' }));
    item.append(head, el('p', { class: 'meta', 'data-role': 'meta' }), button('Expire', { 'data-action': 'expire', 'data-testid': `silence-expire-${silence.id}`, class: 'secondary' }));
    return item;
  }

  private updateItem(item: HTMLLIElement, silence: SilenceView): void {
    const part = (role: string) => item.querySelector<HTMLElement>(`[data-role="${role}"]`) as HTMLElement;
    item.dataset['state'] = silence.state;
    const state = part('state');
    state.className = `badge state-${silence.state}`;
    setText(state, silence.state);
    setText(part('matchers'), matchersText(silence.matchers));
    const when = silence.state === 'pending' ? `from ${formatDateTime(silence.startsAt)} ` : '';
    setText(part('meta'), `${when}until ${formatDateTime(silence.endsAt)} · ${silence.comment} · by ${silence.createdBy}`);
    const expire = item.querySelector<HTMLButtonElement>('button[data-action="expire"]') as HTMLButtonElement;
    expire.disabled = this.busy.has(silence.id);
    expire.setAttribute('aria-label', `Expire the silence ${matchersText(silence.matchers)}`);
  }

  private async expire(silence: SilenceView): Promise<void> {
    this.busy.add(silence.id);
    this.render();
    try {
      await this.api.expireSilence(silence.id);
      this.announce(`Silence ${matchersText(silence.matchers)} expired.`);
      await this.load();
    } catch (error) {
      this.showError(`Cannot expire the silence: ${(error as Error).message}`);
    } finally {
      this.busy.delete(silence.id);
      this.render();
    }
  }

  private readRows(): MatcherRow[] {
    const values = readForm(this.page.form);
    return this.rows.map((_, i) => ({ name: values[`matchers[${i}].name`] ?? '', value: values[`matchers[${i}].value`] ?? '', isRegex: values[`matchers[${i}].isRegex`] === 'true' }));
  }

  private renderFields(values: Readonly<Record<string, string>>): void {
    const matchers = fieldGroup(PREFIX, 'matchers', 'Matchers (every one must match an alert label)');
    this.rows.forEach((row, i) => {
      const wrapper = el('div', { class: 'matcher', 'data-field': `matchers[${i}]`, role: 'group', 'aria-label': `Matcher ${i + 1}` });
      wrapper.append(
        fieldElement(PREFIX, { name: `matchers[${i}].name`, label: 'Label', type: 'text' }, row.name),
        fieldElement(PREFIX, { name: `matchers[${i}].value`, label: 'Value', type: 'text' }, row.value),
        fieldElement(PREFIX, { name: `matchers[${i}].isRegex`, label: 'Regex (RE2)', type: 'checkbox' }, String(row.isRegex)),
        el('p', { class: 'field-error', hidden: '' }),
      );
      matchers.append(wrapper);
    });
    matchers.append(button('Add matcher', { 'data-action': 'add-matcher', class: 'secondary' }));
    const duration = fieldElement(PREFIX, { name: 'endsAt', label: 'For', type: 'select', options: SILENCE_DURATIONS.map(String), optionLabel: (m) => durationLabel(Number(m)) }, values['endsAt'] ?? '120');
    const comment = fieldElement(PREFIX, { name: 'comment', label: 'Comment', type: 'text', hint: 'why, for the others (required)' }, values['comment'] ?? '');
    this.page.fields.replaceChildren(matchers, duration, comment);
  }

  private async submit(): Promise<void> {
    const form = this.page.form;
    clearFieldErrors(form);
    this.showFormError(undefined);
    const values = readForm(form);
    const body = silenceFromForm(this.readRows(), Number(values['endsAt'] ?? '120'), values['comment'] ?? '', this.now());
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const saved = await this.api.createSilence(body);
      this.modal.close();
      this.announce(`Silence ${matchersText(saved.matchers)} created.`);
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
