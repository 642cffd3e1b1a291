import { z } from 'zod';
import { SEVERITIES, type Severity } from '../rules';
import { CHAT_FORMATS, DEFAULT_NOTIFICATION_FORMAT, NOTIFICATION_FORMATS, TELEGRAM_PARSE_MODES, type NotificationFormat } from './formats/notification-format';

/** Request timeout of a target that sets none: 10 s. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Shortest signing secret accepted (characters). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** What each chat service uses instead of a signature, for the message refusing a `secret`. */
const CREDENTIAL_OF: Partial<Record<NotificationFormat, string>> = {
  slack: 'Slack checks no signature on incoming webhooks; the URL is the credential',
  discord: 'Discord checks no signature on webhooks; the URL (with its token) is the credential',
  telegram: 'the Bot API checks no signature; the bot token in the URL is the credential',
};

/** The path of a Bot API `sendMessage` call, `/bot<token>/sendMessage` (a local Bot API server may add a prefix). */
const TELEGRAM_SEND_MESSAGE_PATH = /\/bot\d+:[A-Za-z0-9_-]+\/sendMessage$/i;

/** A Telegram chat: a chat id (an integer, negative for groups and channels) or a channel username `@name`. */
const CHAT_ID_TEXT = /^(-?[1-9][0-9]{0,19}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;
const CHAT_ID_MESSAGE = 'must be a Telegram chat id (an integer such as -1001234567890) or a channel username such as @rebal_alerts';

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Whether `url` names this host: plain HTTP there crosses no network (a local relay, a test receiver). */
function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The rules that tie fields to the target's format (see {@link CHAT_FORMATS}). It also runs when
 * another field failed, so each field is checked for its type before use.
 */
function checkFormatFields(target: { url?: unknown; format?: unknown; secret?: unknown; chatId?: unknown; parseMode?: unknown }, ctx: z.RefinementCtx): void {
  const format = (target.format ?? DEFAULT_NOTIFICATION_FORMAT) as NotificationFormat;
  if (!NOTIFICATION_FORMATS.includes(format)) return;
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (format === 'telegram') {
    if (target.chatId === undefined) issue('chatId', 'is required by the telegram format');
  } else {
    if (target.chatId !== undefined) issue('chatId', 'is only used by the telegram format');
    if (target.parseMode !== undefined) issue('parseMode', 'is only used by the telegram format');
  }
  if (!CHAT_FORMATS.includes(format)) return;
  if (target.secret !== undefined) issue('secret', `is not used by the ${format} format: ${CREDENTIAL_OF[format]}`);
  const url = typeof target.url === 'string' ? parseUrl(target.url) : undefined;
  if (url && url.protocol !== 'https:' && !isLoopback(url)) {
    issue('url', `must be an https:// URL for the ${format} format (http:// only to a loopback address)`);
  }
  if (url && format === 'telegram' && !TELEGRAM_SEND_MESSAGE_PATH.test(url.pathname)) {
    issue('url', 'must be a Bot API sendMessage URL, https://api.telegram.org/bot<token>/sendMessage');
  }
}

/**
 * One webhook target. Name rules: `[A-Za-z0-9_.-]{1,64}`, unique; the name is part of the
 * delivery id and of metric labels, so it cannot contain `:`. Error messages never contain a
 * value (URLs and secrets carry credentials).
 */
export const webhookTargetSchema = z
  .strictObject({
    /** Stable name, used in delivery ids, logs and metric labels (never the URL). */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"'),
    /**
     * Where deliveries are POSTed: an absolute `http://` or `https://` URL; `https://` for the
     * chat formats (see {@link CHAT_FORMATS}). Never logged (it may hold a token).
     */
    url: z.string().refine((value) => {
      const protocol = parseUrl(value)?.protocol;
      return protocol === 'http:' || protocol === 'https:';
    }, 'must be an absolute http:// or https:// URL'),
    /** Body format (default `generic`); see {@link NOTIFICATION_FORMATS}. */
    format: z.enum(NOTIFICATION_FORMATS, { error: `must be one of ${NOTIFICATION_FORMATS.join(', ')}` }).optional(),
    /**
     * HMAC-SHA256 signing secret (at least 16 characters) of the `generic` and `alertmanager`
     * formats; absent: deliveries are unsigned. Never logged.
     */
    secret: z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).optional(),
    /** Severities this target receives: a non-empty list of `S1`, `S2`, `S3` without repeats. */
    severities: z
      .array(z.enum(SEVERITIES as [Severity, ...Severity[]]))
      .min(1, 'must list at least one of S1, S2, S3')
      .refine((list) => new Set(list).size === list.length, 'must not repeat a severity'),
    /** Per-attempt request timeout in ms, 100 to 60000 (default {@link DEFAULT_WEBHOOK_TIMEOUT_MS}). */
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
    /** `telegram` only, required there: the chat to post to, a chat id or `@channelusername`. */
    chatId: z
      .union([
        z.number({ error: CHAT_ID_MESSAGE }).refine((value) => Number.isSafeInteger(value) && value !== 0, CHAT_ID_MESSAGE),
        z.string({ error: CHAT_ID_MESSAGE }).regex(CHAT_ID_TEXT, CHAT_ID_MESSAGE),
      ])
      .optional(),
    /** `telegram` only: `HTML` (default) or `MarkdownV2`, how the message text is marked up. */
    parseMode: z.enum(TELEGRAM_PARSE_MODES, { error: `must be one of ${TELEGRAM_PARSE_MODES.join(', ')}` }).optional(),
  })
  // Runs even when a field failed (`when`), so one start names every problem.
  .superRefine((target, ctx) => checkFormatFields(target, ctx), { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

/** A list of targets whose names are unique. */
export const webhookTargetsSchema = z.array(webhookTargetSchema).superRefine((targets, ctx) => {
  const seen = new Set<string>();
  targets.forEach((target, index) => {
    if (seen.has(target.name)) {
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate target name "${target.name}"` });
    }
    seen.add(target.name);
  });
});

/** A webhook target (see {@link webhookTargetSchema}). */
export type WebhookTarget = z.output<typeof webhookTargetSchema>;
