import type { WebhookPayload } from '../webhook-payload';
import { alertMessage } from './alert-message';
import { fitText } from './fit-text';

/** Block Kit limits (Slack's block reference), in characters. */
export const SLACK_LIMITS = {
  /** `text` of a header block (plain_text). */
  header: 150,
  /** `text` of a section block, and of any text object not limited lower. */
  sectionText: 3000,
  /** Items of a section's `fields`. */
  fields: 10,
  /** `text` of one item of a section's `fields`. */
  fieldText: 2000,
} as const;

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  /** plain_text: render `:emoji:` codes. */
  emoji?: boolean;
  /** mrkdwn: no automatic parsing of URLs, channel names or mentions (only explicit `<...>` would be, and `<` is escaped). */
  verbatim?: boolean;
}

/** The blocks this format sends. */
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

/** A Slack incoming-webhook message: `text` (the notification and fallback), blocks, a coloured attachment. */
export interface SlackBody {
  text: string;
  blocks: SlackBlock[];
  /** One secondary attachment: its `color` is the severity bar, its blocks the details. */
  attachments: Array<{ color: string; blocks: SlackBlock[] }>;
}

/**
 * Escapes Slack's three control characters, and only them (Slack's "Formatting text for app
 * surfaces", Escaping text): `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. Without it, a label
 * such as `<!channel>` or `<https://evil|BTC>` would notify a channel or hide a link.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text, verbatim: true });

/**
 * The Slack incoming-webhook message of one change: the title as `text` (what notifications
 * show) and as a header block, the description in a section, and an attachment whose colour
 * is the severity (green once resolved) holding the fields and a context line. Every text is
 * escaped and cut to its Block Kit limit with an ellipsis.
 */
export function slackBody(payload: WebhookPayload): SlackBody {
  const message = alertMessage(payload);
  const fields = message.fields.slice(0, SLACK_LIMITS.fields).map((field) => {
    const name = `*${escapeSlackText(field.name)}*\n`;
    return mrkdwn(name + fitText(field.value, SLACK_LIMITS.fieldText - name.length, escapeSlackText));
  });
  const color = `#${message.color.toString(16).padStart(6, '0')}`;
  return {
    text: fitText(message.title, SLACK_LIMITS.sectionText, escapeSlackText),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: fitText(message.title, SLACK_LIMITS.header, escapeSlackText), emoji: true } },
      ...(message.description ? [{ type: 'section' as const, text: mrkdwn(fitText(message.description, SLACK_LIMITS.sectionText, escapeSlackText)) }] : []),
    ],
    attachments: [
      {
        color,
        blocks: [
          { type: 'section', fields },
          { type: 'context', elements: [mrkdwn(fitText(`${message.footer} · ${message.at}`, SLACK_LIMITS.sectionText, escapeSlackText))] },
        ],
      },
    ],
  };
}
