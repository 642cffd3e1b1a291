import type { AlertSeverity, AlertStatus, AlertView } from './alert-view-model';

/** The alert list's filters; an empty value lets everything through. */
export interface AlertFilters {
  /** `S1`, `S2`, `S3`, or all. */
  readonly severity: AlertSeverity | '';
  /** One status, `active` (every status but resolved), or all. */
  readonly status: AlertStatus | 'active' | '';
  /** The rule id (`ruleId`), or all. */
  readonly rule: string;
  /** The `symbol` label, or all. */
  readonly symbol: string;
}

/** Everything shown. */
export const NO_FILTERS: AlertFilters = { severity: '', status: '', rule: '', symbol: '' };

/** The alerts the filters let through, in the order given. */
export function filterAlerts(alerts: readonly AlertView[], filters: AlertFilters): AlertView[] {
  return alerts.filter(
    (alert) =>
      (filters.severity === '' || alert.severity === filters.severity) &&
      (filters.status === '' || (filters.status === 'active' ? alert.status !== 'resolved' : alert.status === filters.status)) &&
      (filters.rule === '' || alert.ruleId === filters.rule) &&
      (filters.symbol === '' || alert.labels['symbol'] === filters.symbol),
  );
}

/** The choices of the rule and symbol filters: the rules known and those of shown alerts, the symbols of shown alerts; sorted. */
export function filterChoices(alerts: readonly AlertView[], ruleIds: readonly string[]): { rules: string[]; symbols: string[] } {
  const rules = new Set(ruleIds);
  const symbols = new Set<string>();
  for (const alert of alerts) {
    if (alert.ruleId) rules.add(alert.ruleId);
    const symbol = alert.labels['symbol'];
    if (symbol) symbols.add(symbol);
  }
  return { rules: [...rules].sort(), symbols: [...symbols].sort() };
}
