import type { SnoozeExpiredCallback } from '../notifications';
import { AlertNotFoundError, type AlertStore } from '../store';

/**
 * The `onSnoozeExpired` callback of the notification dispatcher: when the delayed job of a
 * snooze fires, the alert goes back to `firing` (`alert.updated` by `system`, notified again
 * subject to silences and rate limits) if it is still snoozed and its snooze has run out,
 * whatever changed meanwhile: a severity update keeps the snooze and its end, so the job must
 * still lift it (the version the job carries would not). A re-snooze moves the end later, so the
 * earlier job finds it not run out and does nothing; an acknowledge or resolve ends the snooze.
 * Nothing is ever cancelled; the ticker lifts ended snoozes too, whichever comes first. An alert
 * purged meanwhile is nothing to do.
 */
export function createSnoozeExpiryHandler(store: Pick<AlertStore, 'unsnooze'>): SnoozeExpiredCallback {
  return async (alertId) => {
    try {
      await store.unsnooze(alertId, { onlyIfExpired: true });
    } catch (error) {
      if (!(error instanceof AlertNotFoundError)) throw error;
    }
  };
}
