/** Creates an element with attributes and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The element with `id`; throws when the page lacks it (index.html and the code out of step). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no element #${id}`);
  return element as T;
}

/** Sets text only when it changed (keeps screen readers and layout quiet). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** A `<button type="button">` with text and attributes. */
export function button(text: string, attributes: Record<string, string> = {}): HTMLButtonElement {
  return el('button', { type: 'button', ...attributes }, text);
}
