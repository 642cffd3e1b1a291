/** What a cut text ends with. */
export const ELLIPSIS = '…';

/** Escapes markup characters one by one (every escaper of the formats is such a map). */
export type Escape = (text: string) => string;

const asIs: Escape = (text) => text;

/**
 * `text` escaped with `escape`, in at most `max` UTF-16 units (JavaScript's `length`). A text
 * that does not fit is cut before a whole character, never inside an escape sequence or a
 * surrogate pair, and ends with an ellipsis. The services count characters (Discord, Slack) or
 * characters after entity parsing (Telegram); each is at most the UTF-16 length of the escaped
 * text, so a result of `max` units never exceeds their limit of `max`.
 */
export function fitText(text: string, max: number, escape: Escape = asIs): string {
  const escaped = escape(text);
  if (escaped.length <= max) return escaped;
  if (max < ELLIPSIS.length) return '';
  let fitted = '';
  for (const character of text) {
    const next = escape(character);
    if (fitted.length + next.length + ELLIPSIS.length > max) break;
    fitted += next;
  }
  return fitted + ELLIPSIS;
}
