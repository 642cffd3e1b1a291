import { expectedAlert, type SymbolPlan } from '../price-plan';

/** An alert as the REST API lists it (the fields the check reads). */
export interface ObservedAlert {
  readonly id: string;
  readonly ruleId: string;
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One entry of the `alerts` stream (the fields the check reads). */
export interface AlertStreamEvent {
  /** CloudEvent id. */
  readonly eventId: string;
  /** CloudEvent type, e.g. `alert.raised`. */
  readonly type: string;
  /** The alert it is about. */
  readonly alertId: string;
}

/** The verdict on the alerts of a run. */
export interface AlertVerdict {
  /** Symbols checked. */
  readonly symbols: number;
  /** Alerts expected (one per symbol that fires). */
  readonly expected: number;
  /** Alerts found for the run's rules. */
  readonly found: number;
  /** Every deviation, one sentence each; empty when all is well. */
  readonly problems: readonly string[];
}

/**
 * Judges the alerts against the price plans: each symbol that fires has exactly one alert of
 * its rule, in the status its fate implies; a quiet symbol has none; the `alerts` stream
 * carries each event id once and one `alert.raised` per alert.
 */
export function checkAlerts(plans: readonly SymbolPlan[], alerts: readonly ObservedAlert[], events: readonly AlertStreamEvent[]): AlertVerdict {
  const problems: string[] = [];
  let expected = 0;
  let found = 0;
  for (const plan of plans) {
    const ruleId = `chaos-${plan.symbol.toLowerCase()}`;
    const mine = alerts.filter((alert) => alert.ruleId === ruleId);
    found += mine.length;
    const want = expectedAlert(plan);
    if (want === 'none') {
      if (mine.length > 0) problems.push(`${plan.symbol} (${plan.fate}) has ${mine.length} alert(s), expected none`);
      continue;
    }
    expected += 1;
    if (mine.length !== 1) {
      problems.push(`${plan.symbol} (${plan.fate}) has ${mine.length} alerts, expected exactly 1`);
      continue;
    }
    const alert = mine[0] as ObservedAlert;
    if (alert.status !== want) problems.push(`${plan.symbol} (${plan.fate}): alert ${alert.id} is ${alert.status}, expected ${want}`);
    const raised = events.filter((event) => event.alertId === alert.id && event.type === 'alert.raised').length;
    if (raised !== 1) problems.push(`${plan.symbol}: alert ${alert.id} was raised ${raised} times on the alerts stream, expected once`);
  }
  const eventIds = new Set<string>();
  for (const event of events) {
    if (eventIds.has(event.eventId)) problems.push(`event ${event.eventId} (${event.type} of ${event.alertId}) is on the alerts stream twice`);
    eventIds.add(event.eventId);
  }
  return { symbols: plans.length, expected, found, problems };
}
