import { NotificationDispatcherError } from './notification-dispatcher-error';

const ALERT_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** Checks an alert id and version before they become part of a job id. */
export function checkAlertRef(alertId: string, version: number): void {
  if (typeof alertId !== 'string' || !ALERT_ID.test(alertId)) {
    throw new NotificationDispatcherError('ERR_NOTIFICATION_INVALID_INPUT', 'alert id must be 1 to 128 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
  }
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new NotificationDispatcherError('ERR_NOTIFICATION_INVALID_INPUT', `alert version must be a whole number >= 0, got ${version}`);
  }
}

/**
 * The id of one delivery of one alert change to one target: `<alertId>:<version>:<target>`.
 * It is the BullMQ job id and deduplication id (so a change is enqueued once per target) and
 * the `x-rebal-delivery` header (so receivers can drop a repeat after a lost 2xx).
 *
 * BullMQ 5 accepts a `:` in custom job ids only as exactly three parts; alert ids and target
 * names are checked to contain none. (BullMQ's code announces refusing `:` altogether in a
 * future major version: change the separator here when upgrading.)
 */
export function deliveryId(alertId: string, version: number, targetName: string): string {
  return `${alertId}:${version}:${targetName}`;
}

/** The target name of a delivery id (target names contain no `:`). */
export function deliveryTarget(id: string): string {
  return id.slice(id.lastIndexOf(':') + 1);
}

/** The job id of the snooze expiry of one alert version: `snooze-expiry.<alertId>.<version>`. */
export function snoozeExpiryJobId(alertId: string, version: number): string {
  return `snooze-expiry.${alertId}.${version}`;
}
