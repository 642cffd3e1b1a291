import type { WebhookPayload } from '../webhook-payload';
import { alertMessage } from './alert-message';
import { fitText } from './fit-text';

/** Discord's message and embed limits (Execute Webhook; Message resource, "Embed Limits"), in characters. */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author name of all embeds together. */
  embedTotal: 6000,
} as const;

/** A Discord embed field. */
export interface DiscordField {
  name: string;
  value: string;
  inline: boolean;
}

/** A Discord embed, as this format fills it. */
export interface DiscordEmbed {
  title: string;
  description?: string;
  /** 0xRRGGBB as an integer. */
  color: number;
  fields: DiscordField[];
  /** ISO 8601: when the change happened. */
  timestamp: string;
  footer: { text: string };
}

/** A Discord Execute Webhook body. */
export interface DiscordBody {
  content: string;
  embeds: [DiscordEmbed];
  /** `parse: []`: nothing in the text may ping anyone (`@everyone`, `<@id>`, roles). */
  allowed_mentions: { parse: [] };
}

/**
 * Escapes Discord's markdown: a backslash before each character that could start formatting,
 * a link, a quote, a heading, a list, a spoiler or a mention (`\ * _ ~ ` | > # - [ ] ( ) <`).
 * Discord renders `\x` as `x` for any punctuation, so the text shows as written: a label
 * `[claim](https://evil)` stays text, not a masked link.
 */
export function escapeDiscordMarkdown(text: string): string {
  return text.replace(/[\\*_~`|>#\-[\]()<]/g, (character) => `\\${character}`);
}

/**
 * The Discord webhook message of one change: the title as `content` (what notifications
 * show) and one embed with the title, description, fields, a colour by severity (green once
 * resolved), the change time and a footer naming the alert. Texts are escaped and cut to
 * Discord's limits with an ellipsis, within 6000 characters for the whole embed (the
 * description gives way first). `allowed_mentions` is empty, so a hostile label can ping nobody.
 */
export function discordBody(payload: WebhookPayload): DiscordBody {
  const message = alertMessage(payload);
  const title = fitText(message.title, DISCORD_LIMITS.title, escapeDiscordMarkdown);
  // Footers show no markdown: the text goes as it is.
  const footer = fitText(message.footer, DISCORD_LIMITS.footer);
  let budget = DISCORD_LIMITS.embedTotal - title.length - footer.length;
  const fields: DiscordField[] = [];
  for (const field of message.fields.slice(0, DISCORD_LIMITS.fields)) {
    const name = fitText(field.name, DISCORD_LIMITS.fieldName);
    const value = fitText(field.value, Math.min(DISCORD_LIMITS.fieldValue, budget - name.length), escapeDiscordMarkdown);
    if (value === '') break;
    fields.push({ name, value, inline: field.short });
    budget -= name.length + value.length;
  }
  const description = message.description ? fitText(message.description, Math.min(DISCORD_LIMITS.description, budget), escapeDiscordMarkdown) : '';
  return {
    content: fitText(message.title, DISCORD_LIMITS.content, escapeDiscordMarkdown),
    embeds: [
      {
        title,
        ...(description ? { description } : {}),
        color: message.color,
        fields,
        timestamp: message.at,
        footer: { text: footer },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
