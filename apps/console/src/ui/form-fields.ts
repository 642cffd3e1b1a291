import type { FieldError } from '../api/api-error';
import { el } from './dom';
import { placeErrors } from './field-errors';

/** One input of a form: `name` is the API's field path, also its `data-field`. */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'number' | 'select' | 'checkbox';
  /** The choices of a select, as values (shown as they are unless `optionLabel` says otherwise). */
  readonly options?: readonly string[];
  readonly optionLabel?: (value: string) => string;
  /** Shown under the input and announced with it. */
  readonly hint?: string;
}

/** A safe id fragment for a field path (`severities.S2` → `severities-S2`, `matchers[0].value` → `matchers-0-value`). */
export function fieldId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}

/**
 * A labelled field: `<div class="field" data-field=name>` with its label, input (`name` set,
 * `data-testid="<prefix>-field-<name>"`), hint and error text (`role`-less, linked to the input
 * with `aria-describedby`, so a screen reader reads the error with the field).
 */
export function fieldElement(prefix: string, spec: FieldSpec, value: string): HTMLDivElement {
  const id = fieldId(prefix, spec.name);
  const wrapper = el('div', { class: `field field-${spec.type}`, 'data-field': spec.name });
  const described = [`${id}-error`, ...(spec.hint ? [`${id}-hint`] : [])].join(' ');
  let input: HTMLInputElement | HTMLSelectElement;
  if (spec.type === 'select') {
    input = el('select', { id, name: spec.name, 'aria-describedby': described, 'data-testid': `${prefix}-field-${spec.name}` });
    for (const option of spec.options ?? []) input.append(el('option', { value: option }, spec.optionLabel ? spec.optionLabel(option) : option));
    input.value = value || (spec.options?.[0] ?? '');
  } else {
    input = el('input', {
      id,
      name: spec.name,
      type: spec.type === 'number' ? 'text' : spec.type,
      'aria-describedby': described,
      'data-testid': `${prefix}-field-${spec.name}`,
      ...(spec.type === 'number' ? { inputmode: 'decimal', autocomplete: 'off' } : spec.type === 'text' ? { autocomplete: 'off' } : {}),
    });
    if (spec.type === 'checkbox') input.checked = value === 'true';
    else input.value = value;
  }
  const label = el('label', { for: id }, spec.label);
  if (spec.type === 'checkbox') wrapper.append(input, label);
  else wrapper.append(label, input);
  if (spec.hint) wrapper.append(el('p', { id: `${id}-hint`, class: 'hint' }, spec.hint));
  wrapper.append(el('p', { id: `${id}-error`, class: 'field-error', 'data-testid': `${prefix}-error-${spec.name}`, hidden: '' }));
  return wrapper;
}

/** A `<fieldset class="field" data-field=name>` with a legend and an error text, for a group of fields the API names as one (`severities`, `matchers`). */
export function fieldGroup(prefix: string, name: string, legend: string): HTMLFieldSetElement {
  const id = fieldId(prefix, name);
  const group = el('fieldset', { class: 'field group', 'data-field': name, 'aria-describedby': `${id}-error` });
  group.append(el('legend', {}, legend), el('p', { id: `${id}-error`, class: 'field-error', 'data-testid': `${prefix}-error-${name}`, hidden: '' }));
  return group;
}

/** Every named input's value by name (checkboxes as `true`/`false`). */
export function readForm(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLInputElement && element.name) values[element.name] = element.type === 'checkbox' ? String(element.checked) : element.value;
    else if (element instanceof HTMLSelectElement && element.name) values[element.name] = element.value;
  }
  return values;
}

/** Removes the errors shown in `form`. */
export function clearFieldErrors(form: HTMLFormElement): void {
  for (const wrapper of Array.from(form.querySelectorAll<HTMLElement>('[data-field]'))) {
    const error = wrapper.querySelector<HTMLElement>(':scope > .field-error');
    if (error) {
      error.textContent = '';
      error.hidden = true;
    }
    wrapper.classList.remove('invalid');
    wrapper.querySelector(':scope > input, :scope > select')?.removeAttribute('aria-invalid');
  }
}

/**
 * Shows the API's field errors at their fields (or the nearest group, see `errorTarget`), marks
 * those inputs `aria-invalid` and focuses the first; returns the errors the form has no place for.
 */
export function showFieldErrors(form: HTMLFormElement, errors: readonly FieldError[]): FieldError[] {
  clearFieldErrors(form);
  const wrappers = new Map(Array.from(form.querySelectorAll<HTMLElement>('[data-field]')).map((w) => [w.dataset['field'] ?? '', w]));
  const { placed, unplaced } = placeErrors(errors, new Set(wrappers.keys()));
  let first: HTMLElement | undefined;
  for (const [name, messages] of placed) {
    const wrapper = wrappers.get(name);
    const error = wrapper?.querySelector<HTMLElement>(':scope > .field-error');
    if (!wrapper || !error) continue;
    error.textContent = messages.join('; ');
    error.hidden = false;
    wrapper.classList.add('invalid');
    const input = wrapper.querySelector<HTMLElement>(':scope > input, :scope > select') ?? wrapper.querySelector<HTMLElement>('input, select');
    input?.setAttribute('aria-invalid', 'true');
    first ??= input ?? undefined;
  }
  first?.focus();
  return unplaced;
}
