import type { SnoozeExpiredCallback } from '../notifications';
import type { AlertStore } from '../store';

/**
 * The `onSnoozeExpired` callback of the notification dispatcher: when the delayed job of a
 * snooze fires, the alert goes back to `firing` (`alert.updated` by `system`, notified again
 * subject to silences and rate limits) if it is still snoozed at the version that scheduled the
 * job and its snooze has run out. A later change (re-snooze, acknowledge, resolve) makes the
 * job moot, so nothing is ever cancelled; the ticker lifts ended snoozes too, whichever comes first.
 */
export function createSnoozeExpiryHandler(store: Pick<AlertStore, 'get' | 'unsnooze'>): SnoozeExpiredCallback {
  return async (alertId, version) => {
    const alert = await store.get(alertId);
    if (alert?.status === 'snoozed' && alert.version === version) await store.unsnooze(alertId, { onlyIfExpired: true });
  };
}
