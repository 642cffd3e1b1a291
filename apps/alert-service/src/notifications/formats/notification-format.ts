/**
 * The body a webhook target receives:
 * - `generic`: this service's own `{type, alert, actor, at}`, HMAC-signed when the target has a secret;
 * - `alertmanager`: Alertmanager's webhook JSON (version 4), for receivers written for Alertmanager;
 * - `slack`: a Slack incoming-webhook message (Block Kit);
 * - `discord`: a Discord execute-webhook message with one embed;
 * - `telegram`: a Telegram Bot API `sendMessage` call.
 */
export const NOTIFICATION_FORMATS = ['generic', 'alertmanager', 'slack', 'discord', 'telegram'] as const;

/** One of {@link NOTIFICATION_FORMATS}. */
export type NotificationFormat = (typeof NOTIFICATION_FORMATS)[number];

/** Format of a target that names none. */
export const DEFAULT_NOTIFICATION_FORMAT: NotificationFormat = 'generic';

/**
 * Formats whose receiver is a third-party chat service. Their URL is the credential (Slack and
 * Discord put a token in it, Telegram the bot token), they do not check our signature, and they
 * are reached over the internet, so a target of one of these formats must use `https://` (plain
 * `http://` only to a loopback address, where nothing crosses a network) and takes no `secret`.
 */
export const CHAT_FORMATS: readonly NotificationFormat[] = ['slack', 'discord', 'telegram'];

/** Telegram `parse_mode` values a target may choose (default `HTML`). */
export const TELEGRAM_PARSE_MODES = ['HTML', 'MarkdownV2'] as const;

/** One of {@link TELEGRAM_PARSE_MODES}. */
export type TelegramParseMode = (typeof TELEGRAM_PARSE_MODES)[number];
