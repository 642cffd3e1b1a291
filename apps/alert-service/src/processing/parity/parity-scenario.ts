import { createEvent, type CloudEvent } from '@rebal/redis-client';
import type { RuleDefinitionInput } from '../../rules';

/** Seed of the scenario's random numbers: the same seed, the same steps. */
export const PARITY_SEED = 20_251_212;
/** Event time of the first event. */
export const PARITY_T0 = Date.parse('2025-06-02T09:00:00Z');
/** Event time between two consecutive events. */
const STEP_MS = 3_000;
/** How far the wall clock runs behind each event's time when it is evaluated (processing latency). */
export const PARITY_LAG_MS = 250;
/** Events in the scenario. */
const EVENTS = 1_200;
/** Notification budgets tight enough that the scenario meets both the token bucket (S1) and the daily cap (S3). */
export const PARITY_RATE_LIMITS = { S1: { perMinute: 1, burst: 2 }, S3: { perDay: 12 } };

/** The input stream of an event type. */
export type ParityStream = 'market_data' | 'portfolio_updates' | 'risk_events';

/**
 * One step of the scenario. Before each step the wall clock is set to `atMs` and the ticker
 * makes one pass (keep-firing expiries, cooldown ends, snooze ends, rule changes), as a live
 * ticker would have by then; then the step runs.
 */
export type ParityStep =
  | { kind: 'event'; atMs: number; stream: ParityStream; event: CloudEvent }
  /** The same stream entry delivered again (a redelivery): it must change nothing. */
  | { kind: 'redeliver'; atMs: number; stream: ParityStream; event: CloudEvent }
  | { kind: 'put-rule'; atMs: number; rule: RuleDefinitionInput }
  | { kind: 'silence'; atMs: number; name: string; matchers: Array<{ name: string; value: string; isRegex?: boolean; isEqual?: boolean }>; startsInMs: number; endsInMs: number }
  | { kind: 'expire-silence'; atMs: number; name: string }
  /** Snoozes (or acknowledges) the newest open alert of `ruleId`, if it has one. */
  | { kind: 'snooze'; atMs: number; ruleId: string; minutes: number }
  | { kind: 'acknowledge'; atMs: number; ruleId: string }
  /** A person resolves the newest open alert of `ruleId`, if it has one. */
  | { kind: 'resolve'; atMs: number; ruleId: string };

/**
 * The rules: every kind, with pending periods, hysteresis (recovery levels), keep-firing,
 * cooldowns, several severities, suggested actions, static labels, portfolio and service filters.
 */
export function parityRules(): RuleDefinitionInput[] {
  return [
    {
      id: 'btc-above', name: 'BTC above', kind: 'price_threshold', symbol: 'BTC', direction: 'above',
      severities: { S1: 110, S2: 118, S3: 124 }, recovery: 106, pendingSeconds: 20, keepFiringSeconds: 45, cooldownSeconds: 120,
      actions: { S3: { type: 'apply_policy', mode: 'Freeze' } },
    },
    { id: 'btc-below', name: 'BTC below', kind: 'price_threshold', symbol: 'BTC', direction: 'below', severities: { S1: 84, S2: 78 }, recovery: 88 },
    {
      id: 'eth-above', name: 'ETH above', kind: 'price_threshold', symbol: 'ETH', direction: 'above',
      severities: { S2: 2150, S3: 2250 }, recovery: 2100, keepFiringSeconds: 30, labels: { desk: 'crypto' },
      actions: { S2: { type: 'apply_policy', mode: 'Slow' } },
    },
    {
      id: 'eth-move', name: 'ETH moves', kind: 'price_change', symbol: 'ETH', windowSeconds: 300, direction: 'either',
      severities: { S1: 3, S2: 6, S3: 10 }, recovery: 2, pendingSeconds: 12, cooldownSeconds: 60,
    },
    { id: 'btc-drop', name: 'BTC drops', kind: 'price_change', symbol: 'BTC', windowSeconds: 120, direction: 'down', severities: { S2: 4 }, keepFiringSeconds: 30 },
    { id: 'sol-up', name: 'SOL rallies', kind: 'price_change', symbol: 'SOL', windowSeconds: 60, direction: 'up', severities: { S1: 1.5, S2: 3 } },
    { id: 'sol-band', name: 'SOL band', kind: 'price_threshold', symbol: 'SOL', direction: 'above', severities: { S1: 53 }, recovery: 51, cooldownSeconds: 90, labels: { team: 'desk' } },
    {
      id: 'p1-drift', name: 'p1 drift', kind: 'portfolio_drift', portfolioId: 'p1', band: 'absolute',
      severities: { S1: 2, S2: 5, S3: 10 }, recovery: 1, pendingSeconds: 20,
    },
    { id: 'drift-relative', name: 'relative drift', kind: 'portfolio_drift', band: 'relative', severities: { S2: 25, S3: 45 }, keepFiringSeconds: 40, cooldownSeconds: 60 },
    {
      id: 'var-p1', name: 'VaR p1', kind: 'risk_threshold', metric: 'var_95', portfolioId: 'p1',
      severities: { S2: 0.06, S3: 0.09 }, recovery: 0.05, pendingSeconds: 15,
    },
    { id: 'vol-low', name: 'volatility low', kind: 'risk_threshold', metric: 'volatility', window: '1d', direction: 'below', severities: { S1: 0.2, S2: 0.15 }, recovery: 0.22 },
    { id: 'health-all', name: 'any service', kind: 'service_health', severities: { S2: 1, S3: 2 }, pendingSeconds: 9, keepFiringSeconds: 20 },
    { id: 'pricing-down', name: 'pricing down', kind: 'service_health', service: 'pricing-job', severities: { S3: 2 }, cooldownSeconds: 60 },
  ];
}

/** mulberry32: a small, well-known seeded generator. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const wave = (atMs: number, periodMs: number, phase = 0) => Math.sin((2 * Math.PI * (atMs - PARITY_T0)) / periodMs + phase);

/**
 * The scenario: 1,200 events 3 s apart (an hour of event time) over the three input streams,
 * prices, portfolio weights, risk metrics and service statuses following slow waves with seeded
 * noise, so every rule raises, changes severity, clears and resolves several times; a few events
 * out of order and redelivered; silences (one pending and deleted, one deleted while active),
 * snoozes, acknowledgements, a person's resolve, and rule changes (new labels, shorter timers, a
 * disabled rule) at fixed steps.
 */
export function parityScenario(): ParityStep[] {
  const random = seeded(PARITY_SEED);
  const noise = (scale: number) => (random() - 0.5) * 2 * scale;
  const steps: ParityStep[] = [];
  const events: Array<{ stream: ParityStream; event: CloudEvent }> = [];
  let id = 0;
  const event = (stream: ParityStream, type: string, subject: string, atMs: number, data: unknown) => {
    id += 1;
    const made = { stream, event: createEvent({ id: `parity-${id}`, type, source: '/parity', subject, time: new Date(atMs).toISOString(), data }) };
    events.push(made);
    return made;
  };
  const statuses = ['healthy', 'healthy', 'degraded', 'down', 'degraded', 'healthy'] as const;

  for (let i = 0; i < EVENTS; i += 1) {
    const atMs = PARITY_T0 + i * STEP_MS;
    const slot = i % 8;
    let made: { stream: ParityStream; event: CloudEvent };
    if (slot === 0 || slot === 3) {
      const price = round(100 * (1 + 0.22 * wave(atMs, 17 * 60_000) + noise(0.015)), 2);
      made = event('market_data', 'price_update', 'BTC', atMs, { symbol: 'BTC', price, currency: 'USD' });
    } else if (slot === 1 || slot === 5) {
      const price = round(2000 * (1 + 0.1 * wave(atMs, 11 * 60_000, 1) + noise(0.02)), 2);
      made = event('market_data', 'price_update', 'ETH', atMs, { symbol: 'ETH', price, currency: 'USD' });
    } else if (slot === 2) {
      const price = round(50 * (1 + 0.06 * wave(atMs, 5 * 60_000, 2) + noise(0.01)), 3);
      made = event('market_data', 'price_update', 'SOL', atMs, { symbol: 'SOL', price, currency: 'USD' });
    } else if (slot === 4) {
      const portfolioId = i % 16 === 4 ? 'p1' : 'p2';
      const btc = portfolioId === 'p1' ? 0.5 + 0.12 * wave(atMs, 23 * 60_000) + noise(0.01) : 0.3 + 0.14 * wave(atMs, 19 * 60_000, 1) + noise(0.01);
      const total = 100_000;
      made = event('portfolio_updates', 'portfolio_snapshot', portfolioId, atMs, {
        portfolioId,
        totalValue: total,
        holdings: [
          { symbol: 'BTC', quantity: 1, value: round(total * btc, 2) },
          { symbol: 'ETH', quantity: 10, value: round(total * (1 - btc) * 0.8, 2) },
          { symbol: 'SOL', quantity: 100, value: round(total * (1 - btc) * 0.2, 2) },
        ],
        targets: portfolioId === 'p1' ? { BTC: 0.5, ETH: 0.4, SOL: 0.1 } : { BTC: 0.3, ETH: 0.6, SOL: 0.1 },
      });
    } else if (slot === 6) {
      const p1 = i % 16 === 6;
      made = p1
        ? event('risk_events', 'risk_metric', 'p1', atMs, { portfolioId: 'p1', metric: 'var_95', value: round(0.055 + 0.035 * wave(atMs, 13 * 60_000) + noise(0.004), 4) })
        : event('risk_events', 'risk_metric', 'p2', atMs, { metric: 'volatility', window: '1d', value: round(0.21 + 0.05 * wave(atMs, 9 * 60_000, 2) + noise(0.01), 4) });
    } else {
      const service = i % 16 === 7 ? 'pricing-job' : 'risk-job';
      const status = statuses[Math.floor((atMs - PARITY_T0) / (service === 'pricing-job' ? 70_000 : 110_000)) % statuses.length] as (typeof statuses)[number];
      made = event('risk_events', 'system_status', service, atMs, { service, ...(service === 'risk-job' ? { instance: `risk-${i % 3}` } : {}), status, reason: `is ${status}` });
    }
    steps.push({ kind: 'event', atMs: atMs + PARITY_LAG_MS, ...made });

    // An event delivered again (a redelivery after a claim or a takeover): nothing changes.
    if (i % 97 === 50) steps.push({ kind: 'redeliver', atMs: atMs + PARITY_LAG_MS + 1, ...made });
    // A late event, dated before events already applied: its rules ignore it.
    if (i % 131 === 70) {
      const late = events[events.length - 9] as { stream: ParityStream; event: CloudEvent };
      const data = late.event.data as Record<string, unknown>;
      const moved = typeof data['price'] === 'number' ? { ...data, price: round((data['price'] as number) * 1.3, 2) } : data;
      steps.push({ kind: 'event', atMs: atMs + PARITY_LAG_MS + 2, ...event(late.stream, late.event.type, late.event.subject as string, Date.parse(late.event.time), moved) });
    }
    const wall = atMs + PARITY_LAG_MS + 3;
    switch (i) {
      case 150:
        steps.push({ kind: 'silence', atMs: wall, name: 'eth', matchers: [{ name: 'symbol', value: 'ETH' }], startsInMs: 0, endsInMs: 10 * 60_000 });
        break;
      case 260:
        steps.push({ kind: 'silence', atMs: wall, name: 'pending', matchers: [{ name: 'kind', value: 'portfolio_drift' }], startsInMs: 20 * 60_000, endsInMs: 40 * 60_000 });
        steps.push({ kind: 'silence', atMs: wall, name: 'services', matchers: [{ name: 'service', value: '(?i)RISK-.*|pricing.+', isRegex: true }], startsInMs: 0, endsInMs: 30 * 60_000 });
        break;
      case 330:
        steps.push({ kind: 'expire-silence', atMs: wall, name: 'pending' });
        break;
      case 420:
        steps.push({ kind: 'expire-silence', atMs: wall, name: 'services' });
        break;
      case 300:
      case 900:
        steps.push({ kind: 'snooze', atMs: wall, ruleId: 'btc-above', minutes: 5 });
        steps.push({ kind: 'snooze', atMs: wall, ruleId: 'p1-drift', minutes: 5 });
        break;
      case 360:
      case 700:
        steps.push({ kind: 'acknowledge', atMs: wall, ruleId: 'eth-move' });
        steps.push({ kind: 'acknowledge', atMs: wall, ruleId: 'health-all' });
        break;
      case 480:
        steps.push({ kind: 'resolve', atMs: wall, ruleId: 'var-p1' });
        steps.push({ kind: 'resolve', atMs: wall, ruleId: 'drift-relative' });
        break;
      case 745: {
        // New static labels: the open alerts of the old labels are resolved by the rule.
        const rule = parityRules().find((candidate) => candidate.id === 'btc-above') as RuleDefinitionInput;
        steps.push({ kind: 'put-rule', atMs: wall, rule: { ...rule, labels: { desk: 'majors' } } });
        break;
      }
      case 640: {
        // Shorter keep-firing: running timers follow.
        const rule = parityRules().find((candidate) => candidate.id === 'health-all') as RuleDefinitionInput;
        steps.push({ kind: 'put-rule', atMs: wall, rule: { ...rule, keepFiringSeconds: 5 } });
        break;
      }
      case 760: {
        // Disabled: its open alerts stay open, nothing more is evaluated.
        const rule = parityRules().find((candidate) => candidate.id === 'sol-up') as RuleDefinitionInput;
        steps.push({ kind: 'put-rule', atMs: wall, rule: { ...rule, enabled: false } });
        break;
      }
      case 1000: {
        const rule = parityRules().find((candidate) => candidate.id === 'sol-up') as RuleDefinitionInput;
        steps.push({ kind: 'put-rule', atMs: wall, rule: { ...rule, enabled: true } });
        break;
      }
      default:
        break;
    }
  }
  return steps;
}
