import type { FieldError } from '../api/api-error';

/**
 * Where a field error of the API goes in a form whose fields are named after the API's fields
 * (`symbol`, `severities.S2`, `matchers[0].value`): the field itself, else the nearest group
 * that holds it (`severities.S4` → `severities`, `matchers[0].isRegex` → `matchers[0]`);
 * undefined when the form has nothing for it (shown with the form's own message then).
 */
export function errorTarget(field: string, available: ReadonlySet<string>): string | undefined {
  let path = field;
  for (;;) {
    if (available.has(path)) return path;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) return undefined;
    path = path.slice(0, cut);
  }
}

/** The API's field errors by target (see {@link errorTarget}), and those without one. */
export function placeErrors(errors: readonly FieldError[], available: ReadonlySet<string>): { placed: Map<string, string[]>; unplaced: FieldError[] } {
  const placed = new Map<string, string[]>();
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    const target = errorTarget(error.field, available);
    if (target === undefined) {
      unplaced.push(error);
      continue;
    }
    const message = target === error.field ? error.message : `${error.field}: ${error.message}`;
    placed.set(target, [...(placed.get(target) ?? []), message]);
  }
  return { placed, unplaced };
}
