/**
 * Notification formats: the body each kind of receiver gets for an alert change (see the
 * "Formats" section of ../README.md). One pure module per format.
 */
export { ALERTMANAGER_ZERO_TIME, alertmanagerBody, type AlertmanagerAlert, type AlertmanagerBody } from './alertmanager-body';
export { DISCORD_LIMITS, discordBody, escapeDiscordMarkdown, type DiscordBody, type DiscordEmbed, type DiscordField } from './discord-body';
export { notificationBody } from './notification-body';
export {
  CHAT_FORMATS,
  DEFAULT_NOTIFICATION_FORMAT,
  NOTIFICATION_FORMATS,
  TELEGRAM_PARSE_MODES,
  type NotificationFormat,
  type TelegramParseMode,
} from './notification-format';
export { SLACK_LIMITS, escapeSlackText, slackBody, type SlackBlock, type SlackBody, type SlackText } from './slack-body';
export { TELEGRAM_TEXT_LIMIT, escapeTelegramHtml, escapeTelegramMarkdownV2, telegramBody, type TelegramBody } from './telegram-body';
