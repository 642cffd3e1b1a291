/** Pieces of the alert service's wiring (see `createAlertService`). */
export { createAlertNotifier, NOTIFIER_GROUP, type AlertNotifierOptions } from './alert-notifier';
export { AlertServiceError, type AlertServiceErrorCode } from './alert-service-error';
export { openServiceConnections, type ServiceConnections } from './service-connections';
export { createSnoozeExpiryHandler } from './snooze-expiry-handler';
