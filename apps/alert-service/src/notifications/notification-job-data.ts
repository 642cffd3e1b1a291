import type { Severity } from '../rules';
import type { WebhookPayload } from './webhook-payload';

/** Data of one delivery job: which target, and the payload to POST (URL and secret are not stored in Redis). */
export interface DeliveryJobData {
  /** Target name; its URL and secret are looked up in the configuration when the job runs. */
  targetName: string;
  /** Severity of the alert at the change, for metrics. */
  severity: Severity;
  payload: WebhookPayload;
}

/** Data of one snooze expiry job. */
export interface SnoozeExpiryJobData {
  alertId: string;
  /** The alert version that was snoozed. */
  version: number;
  /** When the snooze ends, epoch ms. */
  untilMs: number;
}

/** A delivery that ended in the failed state, as `failedJobs()` shows it. */
export interface FailedDelivery {
  /** Delivery id (`<alertId>:<version>:<target>`), also the job id. */
  deliveryId: string;
  target: string;
  alertId: string;
  version: number;
  /** The change's event type, e.g. `alert.raised`. */
  type: string;
  severity: Severity;
  /** Attempts made before giving up. */
  attemptsMade: number;
  /** Message of the last error (target name and status or error code). */
  failedReason: string;
  /** When the job was enqueued, epoch ms. */
  enqueuedAt: number;
  /** When it failed for good, epoch ms. */
  failedAt?: number;
}
