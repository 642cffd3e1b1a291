/**
 * Shows `items` in `parent`, one child element per item, in order: an item's element is created
 * once (by `create`) and updated in place (by `update`, once it is in the page) on every call, so focus, an open
 * `<select>` and a chart inside it survive updates; children whose key is gone are removed.
 * Children are found by their `data-key`.
 */
export function renderKeyed<T, E extends HTMLElement>(
  parent: HTMLElement,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => E,
  update: (element: E, item: T) => void,
): void {
  const existing = new Map<string, E>();
  for (const child of Array.from(parent.children)) {
    if (child instanceof HTMLElement && child.dataset['key'] !== undefined) existing.set(child.dataset['key'], child as E);
  }
  const wanted = new Set(items.map(key));
  for (const [k, element] of existing) if (!wanted.has(k)) element.remove();
  items.forEach((item, index) => {
    const k = key(item);
    let element = existing.get(k);
    if (element === undefined) {
      element = create(item);
      element.dataset['key'] = k;
    }
    // In the page before `update`, so it can measure the element (a chart sizes itself to it).
    if (parent.children[index] !== element) parent.insertBefore(element, parent.children[index] ?? null);
    update(element, item);
  });
}
