import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NotificationFormat } from '../formats/notification-format';

/**
 * What each receiver accepts, written from the services' public documentation (not from our
 * formatters), for tests to check what a delivery sent. Each validator returns the problems
 * found in a decoded JSON body, none when it is valid:
 *
 * - generic: apps/alert-service/src/notifications/README.md, "What a receiver gets";
 * - alertmanager: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 *   (the version 4 body; `<labelname>` is `[a-zA-Z_][a-zA-Z0-9_]*`, times RFC 3339);
 * - slack: https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks
 *   (header text ≤ 150, section text ≤ 3000, ≤ 10 fields of ≤ 2000, context ≤ 10 elements),
 *   https://api.slack.com/reference/messaging/attachments (`color`, `blocks`) and
 *   https://api.slack.com/reference/surfaces/formatting#escaping (`&`, `<`, `>` as entities);
 * - discord: https://discord.com/developers/docs/resources/webhook#execute-webhook and
 *   https://discord.com/developers/docs/resources/message#embed-object-embed-limits;
 * - telegram: https://core.telegram.org/bots/api#sendmessage (text 1-4096 characters after
 *   entities parsing) and https://core.telegram.org/bots/api#formatting-options (HTML and
 *   MarkdownV2 rules).
 */
export type FormatValidator = (body: unknown) => string[];

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

function schemaValidator(schema: object): (body: unknown) => string[] {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body) => (validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`));
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const labelSet = { ...stringMap, propertyNames: { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' } };
const dateTime = { type: 'string', format: 'date-time' };

const genericSchema = schemaValidator({
  type: 'object',
  required: ['type', 'alert', 'actor', 'at'],
  additionalProperties: false,
  properties: {
    type: { enum: ['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.snoozed', 'alert.resolved', 'alert.escalated'] },
    actor: { type: 'string', minLength: 1 },
    at: { type: 'integer' },
    alert: {
      type: 'object',
      required: ['id', 'ruleId', 'type', 'severity', 'labels', 'fingerprint', 'annotations', 'value', 'startsAt', 'updatedAt', 'status', 'version'],
      properties: {
        id: { type: 'string', minLength: 1 },
        severity: { enum: ['S1', 'S2', 'S3'] },
        status: { enum: ['firing', 'acknowledged', 'snoozed', 'resolved'] },
        labels: stringMap,
        annotations: stringMap,
        value: { type: 'number' },
        startsAt: { type: 'integer' },
        updatedAt: { type: 'integer' },
        endsAt: { type: 'integer' },
        version: { type: 'integer', minimum: 0 },
      },
    },
  },
});

const alertmanagerSchema = schemaValidator({
  type: 'object',
  required: ['version', 'groupKey', 'truncatedAlerts', 'status', 'receiver', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'alerts'],
  properties: {
    version: { const: '4' },
    groupKey: { type: 'string', minLength: 1 },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    status: { enum: ['firing', 'resolved'] },
    receiver: { type: 'string' },
    groupLabels: labelSet,
    commonLabels: labelSet,
    commonAnnotations: stringMap,
    externalURL: { type: 'string' },
    alerts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL', 'fingerprint'],
        properties: {
          status: { enum: ['firing', 'resolved'] },
          labels: labelSet,
          annotations: stringMap,
          startsAt: dateTime,
          endsAt: dateTime,
          generatorURL: { type: 'string' },
          fingerprint: { type: 'string' },
        },
      },
    },
  },
});

/** Alertmanager's semantics: common labels are in every alert, group labels among them, a firing group has a firing alert. */
function alertmanagerProblems(body: unknown): string[] {
  const problems = alertmanagerSchema(body);
  if (problems.length > 0) return problems;
  const group = body as { status: string; groupLabels: Record<string, string>; commonLabels: Record<string, string>; alerts: Array<{ status: string; labels: Record<string, string> }> };
  for (const [name, value] of Object.entries(group.commonLabels)) {
    if (group.alerts.some((alert) => alert.labels[name] !== value)) problems.push(`commonLabels.${name} is not a label of every alert`);
  }
  for (const [name, value] of Object.entries(group.groupLabels)) {
    if (group.commonLabels[name] !== value) problems.push(`groupLabels.${name} is not a common label`);
  }
  const firing = group.alerts.some((alert) => alert.status === 'firing');
  if ((group.status === 'firing') !== firing) problems.push(`status ${group.status} does not match its alerts`);
  return problems;
}

const slackText = (type: 'plain_text' | 'mrkdwn', max: number) => ({
  type: 'object',
  required: ['type', 'text'],
  additionalProperties: false,
  properties: { type: { const: type }, text: { type: 'string', minLength: 1, maxLength: max }, emoji: { type: 'boolean' }, verbatim: { type: 'boolean' } },
});
const slackAnyText = (max: number) => ({ oneOf: [slackText('plain_text', max), slackText('mrkdwn', max)] });
const slackBlock = {
  oneOf: [
    { type: 'object', required: ['type', 'text'], additionalProperties: false, properties: { type: { const: 'header' }, text: slackText('plain_text', 150), block_id: { type: 'string', maxLength: 255 } } },
    {
      type: 'object',
      required: ['type'],
      anyOf: [{ required: ['text'] }, { required: ['fields'] }],
      additionalProperties: false,
      properties: {
        type: { const: 'section' },
        text: slackAnyText(3000),
        fields: { type: 'array', minItems: 1, maxItems: 10, items: slackAnyText(2000) },
        block_id: { type: 'string', maxLength: 255 },
      },
    },
    { type: 'object', required: ['type', 'elements'], additionalProperties: false, properties: { type: { const: 'context' }, elements: { type: 'array', minItems: 1, maxItems: 10, items: slackAnyText(3000) } } },
    { type: 'object', required: ['type'], additionalProperties: false, properties: { type: { const: 'divider' } } },
  ],
};
const slackSchema = schemaValidator({
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', minLength: 1, maxLength: 40_000 },
    blocks: { type: 'array', maxItems: 50, items: slackBlock },
    attachments: {
      type: 'array',
      maxItems: 20,
      items: { type: 'object', properties: { color: { type: 'string', pattern: '^(#[0-9a-fA-F]{6}|good|warning|danger)$' }, blocks: { type: 'array', maxItems: 50, items: slackBlock } } },
    },
  },
});

/** Every string of `value` (deep). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Slack: no raw `<` or `>` (we send no control sequence), every `&` one of the three entities. */
function slackProblems(body: unknown): string[] {
  const problems = slackSchema(body);
  const texts = strings(body).filter((text) => !/^#[0-9a-fA-F]{6}$/.test(text));
  for (const text of texts) {
    if (/[<>]/.test(text) || /&(?!(amp|lt|gt);)/.test(text)) problems.push(`unescaped control character in ${JSON.stringify(text.slice(0, 80))}`);
  }
  return problems;
}

const discordSchema = schemaValidator({
  type: 'object',
  anyOf: [{ required: ['content'] }, { required: ['embeds'] }],
  properties: {
    content: { type: 'string', maxLength: 2000 },
    embeds: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          title: { type: 'string', maxLength: 256 },
          description: { type: 'string', minLength: 1, maxLength: 4096 },
          color: { type: 'integer', minimum: 0, maximum: 0xffffff },
          timestamp: dateTime,
          footer: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 2048 } } },
          fields: {
            type: 'array',
            maxItems: 25,
            items: {
              type: 'object',
              required: ['name', 'value'],
              properties: { name: { type: 'string', minLength: 1, maxLength: 256 }, value: { type: 'string', minLength: 1, maxLength: 1024 }, inline: { type: 'boolean' } },
            },
          },
        },
      },
    },
    allowed_mentions: { type: 'object', properties: { parse: { type: 'array', items: { enum: ['roles', 'users', 'everyone'] } } } },
  },
});

/** Discord: the embeds' title, description, fields, footer and author together within 6000 characters. */
function discordProblems(body: unknown): string[] {
  const problems = discordSchema(body);
  if (problems.length > 0) return problems;
  type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string }; author?: { name: string } };
  const embeds = ((body as { embeds?: Embed[] }).embeds ?? []) as Embed[];
  const total = embeds.reduce(
    (sum, embed) =>
      sum +
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      (embed.fields ?? []).reduce((fields, field) => fields + field.name.length + field.value.length, 0),
    0,
  );
  if (total > 6000) problems.push(`embeds hold ${total} characters, over 6000`);
  return problems;
}

const telegramSchema = schemaValidator({
  type: 'object',
  required: ['chat_id', 'text'],
  properties: {
    chat_id: { type: ['integer', 'string'] },
    text: { type: 'string', minLength: 1 },
    parse_mode: { enum: ['HTML', 'MarkdownV2', 'Markdown'] },
    disable_web_page_preview: { type: 'boolean' },
    link_preview_options: { type: 'object', properties: { is_disabled: { type: 'boolean' } } },
  },
});

/** Tags of the Bot API's HTML style. */
const TELEGRAM_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);

/**
 * Parses HTML-style text as the Bot API describes it: supported tags, balanced; `&` only in
 * `&lt;` `&gt;` `&amp;` `&quot;` or a numeric entity; no other `<` or `>`. Returns the
 * visible text (tags removed, entities decoded) or the problems.
 */
function parseTelegramHtml(text: string): { visible: string; problems: string[] } {
  const problems: string[] = [];
  const open: string[] = [];
  let visible = '';
  const token = /<\/?([a-z-]+)(?:\s[^<>]*)?>|&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]|[^<>&]+/g;
  for (const match of text.matchAll(token)) {
    const [whole, tag, entity] = match;
    if (tag !== undefined) {
      if (!TELEGRAM_TAGS.has(tag)) problems.push(`unsupported tag <${tag}>`);
      else if (whole.startsWith('</')) {
        if (open.pop() !== tag) problems.push(`unbalanced </${tag}>`);
      } else open.push(tag);
    } else if (entity !== undefined) {
      visible += 'x';
    } else if (whole === '<' || whole === '>' || whole === '&') {
      problems.push(`raw "${whole}" outside a tag or entity`);
    } else visible += whole;
  }
  if (open.length > 0) problems.push(`unclosed <${open.join('>, <')}>`);
  return { visible, problems };
}

/**
 * Parses MarkdownV2 text as the Bot API describes it: `\` escapes any character of code 1 to
 * 126; `*` bold, `_` italic, `__` underline, `~` strikethrough and `||` spoiler must be
 * balanced; every other `_ * [ ] ( ) ~ ` > # + - = | { } . !` must be escaped (this checker
 * knows no links or code, which our messages do not use). Returns the visible text or the problems.
 */
function parseTelegramMarkdownV2(text: string): { visible: string; problems: string[] } {
  const problems: string[] = [];
  const open = new Set<string>();
  let visible = '';
  for (let i = 0; i < text.length; i += 1) {
    const character = text[i] as string;
    if (character === '\\') {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 1 && next <= 126)) problems.push(`"\\" at ${i} escapes nothing escapable`);
      visible += text[i + 1] ?? '';
      i += 1;
      continue;
    }
    const pair = text.slice(i, i + 2);
    const marker = pair === '__' || pair === '||' ? pair : '*_~'.includes(character) ? character : undefined;
    if (marker !== undefined) {
      if (open.has(marker)) open.delete(marker);
      else open.add(marker);
      i += marker.length - 1;
      continue;
    }
    if ('[]()`>#+-=|{}.!'.includes(character)) problems.push(`unescaped "${character}" at ${i}`);
    visible += character;
  }
  if (open.size > 0) problems.push(`unclosed ${[...open].join(' ')}`);
  return { visible, problems };
}

function telegramProblems(body: unknown): string[] {
  const problems = telegramSchema(body);
  if (problems.length > 0) return problems;
  const { text, parse_mode: mode } = body as { text: string; parse_mode?: string };
  const parsed = mode === 'HTML' ? parseTelegramHtml(text) : mode === 'MarkdownV2' ? parseTelegramMarkdownV2(text) : { visible: text, problems: [] };
  problems.push(...parsed.problems);
  if (parsed.visible.length < 1 || parsed.visible.length > 4096) problems.push(`text is ${parsed.visible.length} characters after entities parsing, not 1-4096`);
  return problems;
}

/** The validator of each format's receiver (see {@link FormatValidator}). */
export const FORMAT_VALIDATORS: Readonly<Record<NotificationFormat, FormatValidator>> = {
  generic: genericSchema,
  alertmanager: alertmanagerProblems,
  slack: slackProblems,
  discord: discordProblems,
  telegram: telegramProblems,
};
