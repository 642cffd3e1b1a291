import { silentLogger, type ConsumerHandler, type Logger } from '@rebal/redis-client';
import type { AlertEventType, AlertRecord } from '../alerts';
import type { NotificationDispatcher } from '../notifications';

/** Consumer group of the notifier on the `alerts` stream (one group shared by the replicas). */
export const NOTIFIER_GROUP = 'alert-service.notifier';

/** The `data` of an `alert.*` event as the store writes it. */
interface AlertEventData {
  alert?: AlertRecord;
  actor?: string;
  notify?: boolean;
}

/** Options of {@link createAlertNotifier}. */
export interface AlertNotifierOptions {
  /** Where deliveries and snooze expiries are enqueued. */
  dispatcher: Pick<NotificationDispatcher, 'notify' | 'scheduleSnoozeExpiry'>;
  /** Logger (default: silent). */
  logger?: Logger;
}

/**
 * The handler of the notifier's consumer group on the `alerts` stream: the stream is the
 * outbox of every committed change, whoever made it (an event, the ticker, the API, an
 * escalation resolved with its sources). For each `alert.*` event the store marked
 * `notify: true` it enqueues the webhook deliveries; for each `alert.snoozed` it schedules
 * the snooze expiry. Both are idempotent per (alert, version) in the dispatcher, so a
 * redelivered entry (a replica died before its ack) enqueues nothing twice, and a crash
 * between a commit and its notification cannot lose the notification: the entry stays
 * pending until the enqueue succeeded.
 */
export function createAlertNotifier(options: AlertNotifierOptions): ConsumerHandler {
  const logger = options.logger ?? silentLogger();
  return async (event) => {
    const data = (event.data ?? {}) as AlertEventData;
    const alert = data.alert;
    if (!event.type.startsWith('alert.') || !alert || typeof alert.id !== 'string' || !Number.isInteger(alert.version)) {
      logger.warn({ eventId: event.id, type: event.type }, 'alerts stream entry without an alert record; skipped');
      return;
    }
    if (data.notify === true) {
      const at = Date.parse(event.time);
      await options.dispatcher.notify({
        type: event.type as AlertEventType,
        alert,
        actor: data.actor ?? 'system',
        at: Number.isFinite(at) ? at : alert.updatedAt,
      });
    }
    if (event.type === 'alert.snoozed' && alert.status === 'snoozed' && typeof alert.snoozedUntil === 'number') {
      await options.dispatcher.scheduleSnoozeExpiry(alert.id, alert.snoozedUntil, alert.version);
    }
  };
}
