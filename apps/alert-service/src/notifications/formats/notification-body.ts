import type { WebhookPayload } from '../webhook-payload';
import type { WebhookTarget } from '../webhook-target';
import { alertmanagerBody } from './alertmanager-body';
import { discordBody } from './discord-body';
import { DEFAULT_NOTIFICATION_FORMAT } from './notification-format';
import { slackBody } from './slack-body';
import { telegramBody } from './telegram-body';

/**
 * The JSON body a target receives for one change, in the target's `format` (default
 * `generic`: the payload itself). Pure: the same change and target give the same body, so a
 * retry sends what the first attempt sent (unless the target's configuration changed since).
 */
export function notificationBody(target: WebhookTarget, payload: WebhookPayload): object {
  switch (target.format ?? DEFAULT_NOTIFICATION_FORMAT) {
    case 'generic':
      return payload;
    case 'alertmanager':
      return alertmanagerBody(payload, target.name);
    case 'slack':
      return slackBody(payload);
    case 'discord':
      return discordBody(payload);
    case 'telegram':
      // The configuration guarantees a chatId for this format.
      return telegramBody(payload, target.chatId as number | string, target.parseMode);
  }
}
