import { counter, gauge, histogram } from '@rebal/redis-client';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryFailureReason } from './webhook-delivery-error';

/**
 * Why a delivery failed, as counted in `rebal_alert_notifications_failed_total`: the
 * attempt-level reasons of {@link DeliveryFailureReason} (one count per failed attempt),
 * `stalled` (an attempt whose worker died or lost its lock), `unknown_target` (the job names a
 * target no longer configured), `not_subscribed` (the target no longer takes the alert's
 * severity) and `exhausted` (one count per job that ran out of attempts, stalled ones included:
 * the receiver missed a notification).
 */
export type NotificationFailureReason = DeliveryFailureReason | 'stalled' | 'unknown_target' | 'not_subscribed' | 'exhausted';

/** Queue states reported by `rebal_alert_notification_queue_depth`. */
export const QUEUE_DEPTH_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/** The dispatcher's metrics (shared per registry). */
export interface NotificationMetrics {
  sent: Counter<'target' | 'severity'>;
  failed: Counter<'target' | 'reason'>;
  duration: Histogram<'target' | 'outcome'>;
  queueDepth: Gauge<'state'>;
  queueDepthFailures: Counter<string>;
  snoozeExpiries: Counter<'outcome'>;
}

/** Creates (or finds) the notification metrics on `registry` (default: the global registry). */
export function notificationMetrics(registry?: Registry): NotificationMetrics {
  return {
    sent: counter({
      name: 'rebal_alert_notifications_sent_total',
      help: 'Webhook deliveries accepted (2xx) by target and alert severity',
      labelNames: ['target', 'severity'],
      registry,
    }),
    failed: counter({
      name: 'rebal_alert_notifications_failed_total',
      help: 'Failed webhook delivery attempts by target and reason (http_3xx, http_4xx, http_5xx, network, timeout, stalled, unknown_target, not_subscribed); exhausted counts deliveries out of attempts, stalled ones included',
      labelNames: ['target', 'reason'],
      registry,
    }),
    duration: histogram({
      name: 'rebal_alert_notification_delivery_duration_seconds',
      help: 'Duration of one webhook delivery attempt by target and outcome (sent, failed)',
      labelNames: ['target', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registry,
    }),
    queueDepth: gauge({
      name: 'rebal_alert_notification_queue_depth',
      help: 'Jobs in the alert notification queue by state (waiting, delayed, active, failed)',
      labelNames: ['state'],
      registry,
    }),
    queueDepthFailures: counter({
      name: 'rebal_alert_notification_queue_depth_refresh_failures_total',
      help: 'Failed refreshes of rebal_alert_notification_queue_depth',
      registry,
    }),
    snoozeExpiries: counter({
      name: 'rebal_alert_snooze_expiries_total',
      help: 'Snooze expiry jobs run, by outcome (fired, failed)',
      labelNames: ['outcome'],
      registry,
    }),
  };
}
