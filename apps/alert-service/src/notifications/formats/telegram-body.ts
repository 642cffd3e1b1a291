import type { WebhookPayload } from '../webhook-payload';
import { alertMessage } from './alert-message';
import { fitText, type Escape } from './fit-text';
import type { TelegramParseMode } from './notification-format';

/** `text` of `sendMessage`: 1-4096 characters after entities parsing (Bot API). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Longest field value or title we send, so one long label list cannot crowd out the rest. */
const PART_LIMIT = 1024;

/** A Bot API `sendMessage` body. */
export interface TelegramBody {
  chat_id: number | string;
  text: string;
  parse_mode: TelegramParseMode;
  /** Bot API before 7.0 (still read by the Bot API server when `link_preview_options` is absent). */
  disable_web_page_preview: true;
  /** Bot API 7.0 and later: no link preview under an alert. */
  link_preview_options: { is_disabled: true };
}

/**
 * Escapes text for `parse_mode: "HTML"`: the Bot API requires every `<`, `>` and `&` that is
 * not part of a tag or entity to be written `&lt;`, `&gt;`, `&amp;`.
 */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for `parse_mode: "MarkdownV2"`: outside entities the Bot API requires a
 * backslash before each of `_ * [ ] ( ) ~ ` > # + - = | { } . !`, and before `\` itself.
 */
export function escapeTelegramMarkdownV2(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, (character) => `\\${character}`);
}

/** Markup of one parse mode. */
interface Markup {
  escape: Escape;
  bold: [string, string];
  italic: [string, string];
}

const MARKUP: Readonly<Record<TelegramParseMode, Markup>> = {
  HTML: { escape: escapeTelegramHtml, bold: ['<b>', '</b>'], italic: ['<i>', '</i>'] },
  MarkdownV2: { escape: escapeTelegramMarkdownV2, bold: ['*', '*'], italic: ['_', '_'] },
};

/** One line of the message: markup before, raw text (escaped when rendered), markup after. */
interface Line {
  before: string;
  text: string;
  after: string;
  /** Most units its escaped text may take. */
  cap: number;
}

/**
 * Renders lines, joined by newlines, in at most `max` units: each line's text is escaped and
 * cut to its cap, and the line that reaches `max` is cut there and ends the message. Markup
 * is never cut, so the text stays well formed.
 */
function renderLines(lines: readonly Line[], escape: Escape, max: number): string {
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    const separator = out.length > 0 ? 1 : 0;
    if (line.text === '' && line.before === '') {
      if (used + separator > max) break;
      out.push('');
      used += separator;
      continue;
    }
    const room = max - used - separator - line.before.length - line.after.length;
    const text = fitText(line.text, Math.min(line.cap, room), escape);
    if (text === '') break;
    out.push(line.before + text + line.after);
    used += separator + line.before.length + text.length + line.after.length;
  }
  return out.join('\n');
}

/** Length of `lines` as {@link renderLines} would render them with no overall limit. */
function renderedLength(lines: readonly Line[], escape: Escape): number {
  return renderLines(lines, escape, Number.MAX_SAFE_INTEGER).length;
}

/**
 * The `sendMessage` body of one change: the title in bold, the description in italics, one
 * `Name: value` line per field and a footer line, marked up for `parseMode` (default HTML)
 * with every text escaped for it, within 4096 characters (the description gives way first,
 * then the lines from the end). Link previews are off.
 */
export function telegramBody(payload: WebhookPayload, chatId: number | string, parseMode: TelegramParseMode = 'HTML'): TelegramBody {
  const message = alertMessage(payload);
  const { escape, bold, italic } = MARKUP[parseMode];
  const line = (text: string, [before, after]: [string, string] = ['', ''], cap = PART_LIMIT): Line => ({ before, text, after, cap });
  const blank = line('');
  const fields = message.fields.map((field) => ({ ...line(field.value), before: `${bold[0]}${escape(field.name)}:${bold[1]} ` }));
  const rest = [blank, ...fields, blank, line(`${message.footer} · ${message.at}`)];
  const head = [line(message.title, bold)];
  // The description takes what the rest leaves (plus the newline before it).
  const room = TELEGRAM_TEXT_LIMIT - renderedLength([...head, ...rest], escape) - 1 - italic[0].length - italic[1].length;
  const description = message.description && room > 0 ? [line(message.description, italic, room)] : [];
  return {
    chat_id: chatId,
    text: renderLines([...head, ...description, ...rest], escape, TELEGRAM_TEXT_LIMIT),
    parse_mode: parseMode,
    disable_web_page_preview: true,
    link_preview_options: { is_disabled: true },
  };
}
