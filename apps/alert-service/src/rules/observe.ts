import { z } from 'zod';
import { alertFingerprint } from './alert-fingerprint';
import { alertLabels } from './alert-labels';
import type { RuleDefinition, RuleOfKind } from './rule-definition';

/** The parts of a CloudEvent the engine reads; `data` is the decoded JSON payload. */
export interface RuleEvent {
  /** CloudEvents `type`, e.g. `price_update`. */
  type: string;
  /** CloudEvents `subject` (symbol, portfolio id or service). */
  subject?: string;
  /** CloudEvents `time` (RFC 3339): the observation's time. */
  time: string;
  /** The decoded `data` payload. */
  data: unknown;
}

/** What the caller knows beyond the event. */
export interface ObserveContext {
  /**
   * The last known price of `symbol` at or before `atMs` (from the price history the
   * caller keeps), or `undefined` when it has none. Needed by `price_change` rules only;
   * without it they observe nothing.
   */
  priceAt?: (symbol: string, atMs: number) => number | undefined;
}

/** One measured value of one alert identity. */
export interface Observation {
  /** Alert labels (`rule`, `kind`, what was observed, the rule's static labels). */
  labels: Record<string, string>;
  /** `alertFingerprint(labels)`. */
  fingerprint: string;
  /** The value compared with the thresholds (unit per kind, see the rule schemas). */
  value: number;
  /** Event time in ms since the epoch. */
  atMs: number;
  /** Extra template variables (price, weight, status...), kept for annotations. */
  details?: Record<string, string | number>;
}

const priceUpdate = z.object({ symbol: z.string(), price: z.number().positive(), currency: z.string().optional() });
const portfolioSnapshot = z.object({
  portfolioId: z.string().min(1),
  totalValue: z.number().min(0),
  holdings: z.array(z.object({ symbol: z.string().min(1), value: z.number().min(0) })),
  targets: z.record(z.string(), z.number().min(0).max(1)),
});
const riskMetric = z.object({
  portfolioId: z.string().optional(),
  metric: z.string(),
  value: z.number(),
  window: z.string().optional(),
});
const systemStatus = z.object({
  service: z.string().min(1),
  instance: z.string().optional(),
  status: z.enum(['healthy', 'degraded', 'down']),
  reason: z.string().optional(),
});

// An event is observed by every candidate rule of its kind (e.g. 20 rules on one symbol):
// its payload is validated once per schema and the result kept while the payload lives.
const parsedPayloads = new WeakMap<z.ZodType, WeakMap<object, unknown>>();

/** `schema.safeParse(data)`, computed once per payload object and schema. */
function parsePayload<T extends z.ZodType>(schema: T, data: unknown): ReturnType<T['safeParse']> {
  if (typeof data !== 'object' || data === null) return schema.safeParse(data) as ReturnType<T['safeParse']>;
  let byPayload = parsedPayloads.get(schema);
  if (!byPayload) {
    byPayload = new WeakMap();
    parsedPayloads.set(schema, byPayload);
  }
  let result = byPayload.get(data);
  if (result === undefined) {
    result = schema.safeParse(data);
    byPayload.set(data, result);
  }
  return result as ReturnType<T['safeParse']>;
}

/** `service_health` values: healthy 0, degraded 1, down 2. */
export const SERVICE_STATUS_VALUES = { healthy: 0, degraded: 1, down: 2 } as const;

/** Rounds derived values to 9 decimals, so 0.30 vs 0.25 is exactly 5 points, not 4.999999999999999. */
export function roundValue(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

type Measure = { subject: Record<string, string | undefined>; value: number; details?: Record<string, string | number> };

/**
 * Turns an event into the observations of one rule: none when the event is irrelevant (other
 * type, symbol, portfolio, metric or service), malformed, has an unreadable `time`, or when
 * the rule is disabled, or when the event's time is at or after the rule's `expiresAt` (an
 * expired rule evaluates nothing). `portfolio_drift` yields one observation per symbol held or targeted.
 * Pure: `price_change` reads its reference price through `context.priceAt`.
 */
export function observe(rule: RuleDefinition, event: RuleEvent, context: ObserveContext = {}): Observation[] {
  if (!rule.enabled) return [];
  const atMs = Date.parse(event.time);
  if (!Number.isFinite(atMs)) return [];
  if (rule.expiresAt !== undefined && atMs >= Date.parse(rule.expiresAt)) return [];
  let measures: Measure[];
  switch (rule.kind) {
    case 'price_threshold':
      measures = measurePrice(rule, event);
      break;
    case 'price_change':
      measures = measurePriceChange(rule, event, atMs, context);
      break;
    case 'portfolio_drift':
      measures = measureDrift(rule, event);
      break;
    case 'risk_threshold':
      measures = measureRisk(rule, event);
      break;
    case 'service_health':
      measures = measureHealth(rule, event);
      break;
  }
  return measures
    .filter((measure) => Number.isFinite(measure.value))
    .map((measure) => {
      const labels = alertLabels(rule, measure.subject);
      const observation: Observation = { labels, fingerprint: alertFingerprint(labels), value: measure.value, atMs };
      if (measure.details) observation.details = measure.details;
      return observation;
    });
}

function measurePrice(rule: RuleOfKind<'price_threshold'>, event: RuleEvent): Measure[] {
  if (event.type !== 'price_update') return [];
  const data = parsePayload(priceUpdate, event.data);
  if (!data.success || data.data.symbol !== rule.symbol) return [];
  const { price, currency = '' } = data.data;
  return [{ subject: { symbol: rule.symbol }, value: price, details: { price, currency } }];
}

function measurePriceChange(
  rule: RuleOfKind<'price_change'>,
  event: RuleEvent,
  atMs: number,
  context: ObserveContext,
): Measure[] {
  if (event.type !== 'price_update') return [];
  const data = parsePayload(priceUpdate, event.data);
  if (!data.success || data.data.symbol !== rule.symbol) return [];
  const referencePrice = context.priceAt?.(rule.symbol, atMs - rule.windowSeconds * 1000);
  if (referencePrice === undefined || !(referencePrice > 0)) return [];
  const { price, currency = '' } = data.data;
  const changePercent = roundValue(((price - referencePrice) / referencePrice) * 100);
  const value = rule.direction === 'up' ? changePercent : rule.direction === 'down' ? -changePercent : Math.abs(changePercent);
  return [
    {
      subject: { symbol: rule.symbol },
      value: value === 0 ? 0 : value, // no -0 in stored state
      details: { price, referencePrice, changePercent, currency },
    },
  ];
}

function measureDrift(rule: RuleOfKind<'portfolio_drift'>, event: RuleEvent): Measure[] {
  if (event.type !== 'portfolio_snapshot') return [];
  const data = parsePayload(portfolioSnapshot, event.data);
  if (!data.success) return [];
  const { portfolioId, totalValue, holdings, targets } = data.data;
  if ((rule.portfolioId !== undefined && portfolioId !== rule.portfolioId) || totalValue <= 0) return [];
  const held = new Map<string, number>();
  for (const holding of holdings) held.set(holding.symbol, (held.get(holding.symbol) ?? 0) + holding.value);
  const symbols = [...new Set([...held.keys(), ...Object.keys(targets)])].sort();
  const measures: Measure[] = [];
  for (const symbol of symbols) {
    const holdingValue = held.get(symbol) ?? 0;
    const weight = holdingValue / totalValue;
    // A holding without a target should not be held at all: its target is 0.
    const target = targets[symbol] ?? 0;
    // Relative drift against a zero target is undefined: watch those with an absolute rule.
    if (rule.band === 'relative' && target === 0) continue;
    const deviation = weight - target;
    const value = roundValue(rule.band === 'absolute' ? Math.abs(deviation) * 100 : (Math.abs(deviation) / target) * 100);
    measures.push({
      subject: { portfolioId, symbol },
      value,
      details: {
        weight: roundValue(weight),
        target,
        weightPercent: roundValue(weight * 100),
        targetPercent: roundValue(target * 100),
        deviationPercent: roundValue(deviation * 100),
        holdingValue,
        totalValue,
      },
    });
  }
  return measures;
}

function measureRisk(rule: RuleOfKind<'risk_threshold'>, event: RuleEvent): Measure[] {
  if (event.type !== 'risk_metric') return [];
  const data = parsePayload(riskMetric, event.data);
  if (!data.success || data.data.metric !== rule.metric) return [];
  // The subject of a risk_metric is its portfolio id when the payload leaves it out.
  const portfolioId = data.data.portfolioId ?? event.subject;
  if (rule.portfolioId !== undefined && portfolioId !== rule.portfolioId) return [];
  if (rule.window !== undefined && data.data.window !== rule.window) return [];
  return [{ subject: { metric: rule.metric, portfolioId, window: data.data.window }, value: data.data.value }];
}

function measureHealth(rule: RuleOfKind<'service_health'>, event: RuleEvent): Measure[] {
  if (event.type !== 'system_status') return [];
  const data = parsePayload(systemStatus, event.data);
  if (!data.success || (rule.service !== undefined && data.data.service !== rule.service)) return [];
  const { service, instance, status, reason = '' } = data.data;
  // Each instance is its own alert: one instance recovering must not clear another that is down.
  return [{ subject: { service, instance }, value: SERVICE_STATUS_VALUES[status], details: { status, reason } }];
}
