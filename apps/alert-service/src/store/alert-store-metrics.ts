import type { Registry } from 'prom-client';
import { counter, gauge } from '@rebal/redis-client';
import { ALERT_STATUSES, type AlertEventType } from '../alerts';
import { SEVERITIES } from '../rules';

/** The store's metrics. */
export interface AlertStoreMetrics {
  /** Sets the `rebal_alerts` gauge from the counts hash (`<status>:<severity>` → n). */
  setCounts(counts: Record<string, string>): void;
  /** One committed alert change. */
  changed(type: AlertEventType): void;
  /** One change that was not notified, by reason. */
  suppressed(reason: string): void;
  /** One lost compare-and-set, by operation. */
  conflict(operation: string): void;
}

/** Creates (or reuses, per registry) the store metrics. */
export function createAlertStoreMetrics(registry?: Registry): AlertStoreMetrics {
  const alerts = gauge({
    name: 'rebal_alerts',
    help: 'Stored alerts by status and severity (resolved ones until their retention ends).',
    labelNames: ['status', 'severity'],
    registry,
  });
  const changes = counter({ name: 'rebal_alert_state_changes_total', help: 'Alert changes committed, by event type.', labelNames: ['type'], registry });
  const suppressed = counter({
    name: 'rebal_alert_notifications_suppressed_total',
    help: 'Alert changes stored but not notified, by reason (silence, snooze, rate_limit, budget).',
    labelNames: ['reason'],
    registry,
  });
  const conflicts = counter({
    name: 'rebal_alert_store_conflicts_total',
    help: 'Compare-and-set commits that lost against a concurrent writer and were retried, by operation.',
    labelNames: ['operation'],
    registry,
  });
  return {
    setCounts(counts) {
      for (const status of ALERT_STATUSES) {
        for (const severity of SEVERITIES) alerts.set({ status, severity }, Math.max(0, Number(counts[`${status}:${severity}`] ?? 0)));
      }
    },
    changed: (type) => changes.inc({ type }),
    suppressed: (reason) => suppressed.inc({ reason }),
    conflict: (operation) => conflicts.inc({ operation }),
  };
}
