import { UnrecoverableError } from 'bullmq';
import type { NotificationFailureReason } from './notification-metrics';

/**
 * A delivery given up at once, without retrying: the receiver answered a 3xx or a 4xx other
 * than 408 and 429, or the target is no longer configured or no longer takes the alert's
 * severity. An `UnrecoverableError`, so BullMQ fails the job without a retry; its own type,
 * so the dispatcher tells it from BullMQ's give-ups (a job that stalled or started too often),
 * which are counted as `exhausted`. The attempt was already counted with `reason`.
 */
export class DeliveryRefusedError extends UnrecoverableError {
  /**
   * @param message target name and why (never the URL: BullMQ stores it as `failedReason`)
   * @param reason what the attempt was counted as in `rebal_alert_notifications_failed_total`
   */
  constructor(
    message: string,
    readonly reason: NotificationFailureReason,
  ) {
    super(message);
  }
}
