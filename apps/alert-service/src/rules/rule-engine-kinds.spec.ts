import { alertFingerprint } from './alert-fingerprint';
import { evaluateEvent } from './evaluate-event';
import type { ObserveContext, RuleEvent } from './observe';
import { parseRuleDefinition, type RuleDefinition } from './rule-definition';
import type { RuleState, Transition } from './rule-state';
import type { Severity } from './severity';

// Event sequences replayed through observe + step for every rule kind. Each scenario maps
// named levels to the input that produces them: `clear` is past the recovery level, `hover`
// sits between the recovery level and the first threshold, `S1`..`S3` pass that threshold.
type Level = 'clear' | 'hover' | Severity;

interface KindScenario {
  title: string;
  rule: Record<string, unknown>;
  inputs: Partial<Record<Level, number>>;
  event: (input: number, atMs: number) => RuleEvent;
  context?: ObserveContext;
  /** Labels that pick the alert under test among the rule's observations. */
  focus: Record<string, string>;
}

const T0 = Date.parse('2025-03-01T12:00:00Z');
const iso = (atMs: number) => new Date(atMs).toISOString();
const STATUSES = ['healthy', 'degraded', 'down'] as const;

const scenarios: KindScenario[] = [
  {
    title: 'price_threshold above',
    rule: { kind: 'price_threshold', symbol: 'BTC', direction: 'above', severities: { S1: 100, S2: 110, S3: 120 }, recovery: 95 },
    inputs: { clear: 90, hover: 97, S1: 101, S2: 111, S3: 125 },
    event: (price, atMs) => ({ type: 'price_update', subject: 'BTC', time: iso(atMs), data: { symbol: 'BTC', price, currency: 'USD' } }),
    focus: { symbol: 'BTC' },
  },
  {
    title: 'price_threshold below',
    rule: { kind: 'price_threshold', symbol: 'ETH', direction: 'below', severities: { S1: 60, S2: 55, S3: 50 }, recovery: 62 },
    inputs: { clear: 65, hover: 61, S1: 59, S2: 54, S3: 45 },
    event: (price, atMs) => ({ type: 'price_update', subject: 'ETH', time: iso(atMs), data: { symbol: 'ETH', price, currency: 'USD' } }),
    focus: { symbol: 'ETH' },
  },
  {
    title: 'price_change either way',
    rule: { kind: 'price_change', symbol: 'BTC', windowSeconds: 3600, direction: 'either', severities: { S1: 2, S2: 5, S3: 10 }, recovery: 1 },
    // Input = % move from the reference price 1000 an hour earlier; S2 is a fall.
    inputs: { clear: 0.5, hover: 1.5, S1: 3, S2: -6, S3: 12 },
    event: (move, atMs) => ({
      type: 'price_update',
      time: iso(atMs),
      data: { symbol: 'BTC', price: 1000 * (1 + move / 100), currency: 'USD' },
    }),
    context: { priceAt: (symbol, atMs) => (symbol === 'BTC' && atMs < T0 ? 1000 : undefined) },
    focus: { symbol: 'BTC' },
  },
  {
    title: 'portfolio_drift absolute',
    rule: { kind: 'portfolio_drift', band: 'absolute', severities: { S1: 2, S2: 5, S3: 10 }, recovery: 1 },
    // Input = BTC's deviation in weight points (ETH moves the other way).
    inputs: { clear: 0.5, hover: 1.5, S1: 3, S2: 6, S3: 12 },
    event: (points, atMs) => ({
      type: 'portfolio_snapshot',
      subject: 'p1',
      time: iso(atMs),
      data: {
        portfolioId: 'p1',
        totalValue: 100_000,
        holdings: [
          { symbol: 'BTC', quantity: 1, value: (50 + points) * 1000 },
          { symbol: 'ETH', quantity: 10, value: (50 - points) * 1000 },
        ],
        targets: { BTC: 0.5, ETH: 0.5 },
      },
    }),
    focus: { portfolioId: 'p1', symbol: 'BTC' },
  },
  {
    title: 'risk_threshold var_95',
    rule: { kind: 'risk_threshold', metric: 'var_95', severities: { S1: 0.03, S2: 0.05, S3: 0.08 }, recovery: 0.02 },
    inputs: { clear: 0.01, hover: 0.025, S1: 0.035, S2: 0.06, S3: 0.09 },
    event: (value, atMs) => ({ type: 'risk_metric', subject: 'p1', time: iso(atMs), data: { portfolioId: 'p1', metric: 'var_95', value } }),
    focus: { metric: 'var_95', portfolioId: 'p1' },
  },
  {
    title: 'service_health degraded major, down critical',
    rule: { kind: 'service_health', service: 'pricing', severities: { S2: 1, S3: 2 } },
    inputs: { clear: 0, S2: 1, S3: 2 },
    event: (level, atMs) => ({
      type: 'system_status',
      subject: 'pricing',
      time: iso(atMs),
      data: { service: 'pricing', status: STATUSES[level], reason: 'probe' },
    }),
    focus: { service: 'pricing' },
  },
  {
    title: 'service_health down only, cleared when healthy',
    rule: { kind: 'service_health', severities: { S3: 2 }, recovery: 1 },
    inputs: { clear: 0, hover: 1, S3: 2 },
    event: (level, atMs) => ({ type: 'system_status', time: iso(atMs), data: { service: 'gateway', status: STATUSES[level], reason: 'probe' } }),
    focus: { service: 'gateway' },
  },
];

/** Replays events of one scenario and records the transitions of the focused alert. */
class Replay {
  readonly rule: RuleDefinition;
  private readonly states = new Map<string, RuleState>();
  private fingerprint: string | undefined;

  constructor(
    private readonly scenario: KindScenario,
    overrides: Record<string, unknown> = {},
  ) {
    this.rule = parseRuleDefinition({ id: 'r1', name: scenario.title, ...scenario.rule, ...overrides });
  }

  /** Sends the event of `level` at T0 + `seconds`; returns the focused alert's transitions. */
  at(seconds: number, level: Level): Transition[] {
    const input = this.scenario.inputs[level];
    if (input === undefined) throw new Error(`${this.scenario.title} has no ${level} level`);
    const results = evaluateEvent(this.rule, this.scenario.event(input, T0 + seconds * 1000), {
      stateOf: (fingerprint) => this.states.get(fingerprint),
      context: this.scenario.context,
    });
    const transitions: Transition[] = [];
    for (const result of results) {
      this.states.set(result.observation.fingerprint, result.state);
      const focused = Object.entries(this.scenario.focus).every(([name, value]) => result.observation.labels[name] === value);
      if (!focused) continue;
      this.fingerprint = result.observation.fingerprint;
      if (result.expired) transitions.push(result.expired);
      if (result.transition) transitions.push(result.transition);
    }
    if (this.fingerprint === undefined) throw new Error(`${this.scenario.title}: the focused alert was never observed`);
    return transitions;
  }

  state(): RuleState {
    return this.states.get(this.fingerprint as string) as RuleState;
  }
}

const severityLevels = (scenario: KindScenario): Severity[] =>
  (['S1', 'S2', 'S3'] as const).filter((severity) => scenario.inputs[severity] !== undefined);
const kinds = (list: Transition[]) => list.map((transition) => [transition.kind, transition.severity]);

describe.each(scenarios)('rule engine: $title', (scenario) => {
  const levels = severityLevels(scenario);
  const entry = levels[0] as Severity;
  const worst = levels[levels.length - 1] as Severity;

  it('raises one alert when the value passes a threshold, and updates nothing while it stays there', () => {
    const replay = new Replay(scenario);
    expect(replay.at(0, 'clear')).toEqual([]);
    const [raised, ...more] = replay.at(10, entry);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({ kind: 'raise', severity: entry, ruleId: 'r1', atMs: T0 + 10_000 });
    expect(raised?.labels).toMatchObject({ rule: 'r1', kind: scenario.rule['kind'], ...scenario.focus });
    expect(raised?.fingerprint).toBe(alertFingerprint(raised?.labels ?? {}));
    expect(raised?.annotations.summary.length).toBeGreaterThan(0);
    expect(replay.at(20, entry)).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'firing', severity: entry, since: T0 + 10_000 });
  });

  // Every scenario but "down only" defines at least two severities (that one is covered by the rest).
  const ifSeveral = levels.length > 1 ? it : () => undefined;
  ifSeveral('escalates through every severity while firing, then de-escalates, as updates of the one alert', () => {
    const replay = new Replay(scenario);
    const seen: Transition[] = [];
    levels.forEach((level, index) => seen.push(...replay.at(index * 10, level)));
    seen.push(...replay.at(100, entry));
    const expected = [
      ['raise', entry],
      ...levels.slice(1).map((level) => ['update', level]),
      ['update', entry],
    ];
    expect(kinds(seen)).toEqual(expected);
    expect(new Set(seen.map((transition) => transition.fingerprint)).size).toBe(1);
    expect(seen[1]?.previousSeverity).toBe(levels[0]);
    expect(seen[seen.length - 1]?.previousSeverity).toBe(worst);
  });

  it('raises nothing before the pending period has passed, then raises with the current severity', () => {
    const replay = new Replay(scenario, { pendingSeconds: 60 });
    expect(replay.at(0, entry)).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'pending', since: T0, pendingSeverity: entry });
    expect(replay.at(30, entry)).toEqual([]);
    expect(replay.at(59, worst)).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'pending', pendingSeverity: worst });
    expect(kinds(replay.at(60, worst))).toEqual([['raise', worst]]);
  });

  it('forgets a pending condition that goes away, without ever raising', () => {
    const replay = new Replay(scenario, { pendingSeconds: 60 });
    expect(replay.at(0, entry)).toEqual([]);
    expect(replay.at(30, 'clear')).toEqual([]);
    expect(replay.state().phase).toBe('inactive');
    expect(replay.at(70, entry)).toEqual([]);
    expect(replay.at(129, entry)).toEqual([]);
    expect(kinds(replay.at(130, entry))).toEqual([['raise', entry]]);
  });

  // Service statuses are 0, 1, 2: of the two service scenarios, only "down only" has a level
  // between its recovery level and its threshold (degraded), so only it can hover.
  const ifHover = scenario.inputs.hover === undefined ? () => undefined : it;
  ifHover('keeps firing while the value hovers between the recovery level and the threshold', () => {
    const replay = new Replay(scenario);
    expect(kinds(replay.at(0, entry))).toEqual([['raise', entry]]);
    for (let second = 10; second <= 50; second += 10) expect(replay.at(second, 'hover')).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'firing', severity: entry });
    expect(replay.at(55, entry)).toEqual([]);
    const [resolved] = replay.at(60, 'clear');
    expect(resolved).toMatchObject({ kind: 'resolve', severity: entry });
    expect(resolved?.action).toBeUndefined();
    expect(replay.state().phase).toBe('inactive');
  });

  it('keeps a cleared alert firing for the keep-firing period, so a flapping value does not resolve it', () => {
    const replay = new Replay(scenario, { keepFiringSeconds: 60 });
    expect(kinds(replay.at(0, entry))).toEqual([['raise', entry]]);
    expect(replay.at(10, 'clear')).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'firing', clearedAtMs: T0 + 10_000 });
    expect(replay.at(40, entry)).toEqual([]);
    expect(replay.state().clearedAtMs).toBeUndefined();
    expect(replay.at(50, 'clear')).toEqual([]);
    expect(replay.at(109, 'clear')).toEqual([]);
    expect(kinds(replay.at(110, 'clear'))).toEqual([['resolve', entry]]);
  });

  it('does not raise again during the cooldown after a resolution', () => {
    const replay = new Replay(scenario, { cooldownSeconds: 300 });
    expect(kinds(replay.at(0, entry))).toEqual([['raise', entry]]);
    expect(kinds(replay.at(10, 'clear'))).toEqual([['resolve', entry]]);
    expect(replay.state()).toMatchObject({ phase: 'cooldown', resolvedAtMs: T0 + 10_000 });
    expect(replay.at(20, entry)).toEqual([]);
    expect(replay.at(309, worst)).toEqual([]);
    expect(replay.state().phase).toBe('cooldown');
    expect(kinds(replay.at(310, worst))).toEqual([['raise', worst]]);
  });

  it('ignores an observation older than the last one it accepted', () => {
    const replay = new Replay(scenario);
    expect(kinds(replay.at(100, entry))).toEqual([['raise', entry]]);
    expect(replay.at(50, 'clear')).toEqual([]);
    expect(replay.state()).toMatchObject({ phase: 'firing', lastEventAtMs: T0 + 100_000 });
    expect(kinds(replay.at(110, 'clear'))).toEqual([['resolve', entry]]);
  });
});
