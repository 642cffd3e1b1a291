/**
 * Alert notifications: webhook deliveries of alert changes through BullMQ (retries with
 * backoff and jitter, `Retry-After`, signed bodies, idempotent per change) in the target's
 * format (generic, Alertmanager, Slack, Discord, Telegram), and snooze expiry jobs. See
 * README.md in this folder.
 */
export { deliverWebhook, type DeliverWebhookInput, type FetchFunction, type WebhookDeliveryResult } from './deliver-webhook';
export { deliveryId, snoozeExpiryJobId } from './delivery-id';
export {
  DEFAULT_NOTIFICATION_BACKOFF,
  notificationRetryDelay,
  type NotificationBackoffOptions,
  type ResolvedNotificationBackoff,
} from './notification-backoff';
export {
  CHAT_FORMATS,
  NOTIFICATION_FORMATS,
  TELEGRAM_PARSE_MODES,
  notificationBody,
  type NotificationFormat,
  type TelegramParseMode,
} from './formats';
export { NotificationDispatcher, type QueueDepth } from './notification-dispatcher';
export { NotificationDispatcherError, type NotificationDispatcherErrorCode } from './notification-dispatcher-error';
export {
  DISPATCHER_DEFAULTS,
  hasHashTag,
  type KeepJobsOptions,
  type NotificationDispatcherOptions,
  type SnoozeExpiredCallback,
} from './notification-dispatcher-options';
export type { DeliveryJobData, FailedDelivery, SnoozeExpiryJobData } from './notification-job-data';
export { QUEUE_DEPTH_STATES, type NotificationFailureReason } from './notification-metrics';
export { parseWebhookTargets, validateWebhookTargets, type ParseWebhookTargetsOptions } from './parse-webhook-targets';
export { parseRetryAfter } from './retry-after';
export { WebhookConfigError, type WebhookConfigIssue } from './webhook-config-error';
export { WebhookDeliveryError, type DeliveryFailureReason, type WebhookDeliveryErrorInit } from './webhook-delivery-error';
export { webhookPayload, type WebhookPayload } from './webhook-payload';
export {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  WEBHOOK_HEADERS,
  signWebhookPayload,
  verifyWebhookSignature,
  type VerifyWebhookSignatureInput,
} from './webhook-signature';
export {
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  MIN_WEBHOOK_SECRET_LENGTH,
  webhookTargetSchema,
  webhookTargetsSchema,
  type WebhookTarget,
} from './webhook-target';
