import { entryThreshold, roundValue, thresholdDirection, type RuleDefinition } from '../rules';
import { ThresholdList } from './threshold-list';

/** `price_change` rules of one symbol and window, by direction of the move they watch. */
interface MoveGroup {
  readonly windowSeconds: number;
  readonly up: ThresholdList;
  readonly down: ThresholdList;
  readonly either: ThresholdList;
}

/** The enabled price rules of one symbol. */
interface SymbolRules {
  readonly above: ThresholdList;
  readonly below: ThresholdList;
  readonly moves: Map<number, MoveGroup>;
}

/** Rules that watch every subject of their kind are filed under this key. */
const ANY = '\u0000any';

/**
 * Every rule, and the enabled ones indexed by what they watch, so an event meets only the rules
 * it can change: price thresholds per symbol in sorted lists of their entry levels; price moves
 * per (symbol, window), one reference price per group, sorted by level per direction;
 * portfolio drift per portfolio, risk thresholds per metric, service health per service (few
 * rules each: all of them observe the event). Changes apply one rule at a time.
 */
export class RuleBook {
  private readonly byId = new Map<string, RuleDefinition>();
  private readonly symbols = new Map<string, SymbolRules>();
  private readonly drift = new Map<string, RuleDefinition[]>();
  private readonly risk = new Map<string, RuleDefinition[]>();
  private readonly health = new Map<string, RuleDefinition[]>();

  /** Number of rules (disabled ones included). */
  get size(): number {
    return this.byId.size;
  }

  /** A rule by id, enabled or not. */
  get(id: string): RuleDefinition | undefined {
    return this.byId.get(id);
  }

  /** Every rule. */
  all(): IterableIterator<RuleDefinition> {
    return this.byId.values();
  }

  /** Adds or replaces a rule. */
  set(rule: RuleDefinition): void {
    this.delete(rule.id);
    this.byId.set(rule.id, rule);
    if (!rule.enabled) return;
    switch (rule.kind) {
      case 'price_threshold': {
        const rules = this.symbol(rule.symbol);
        (thresholdDirection(rule) === 'above' ? rules.above : rules.below).add(entryThreshold(rule).threshold, rule);
        break;
      }
      case 'price_change': {
        const rules = this.symbol(rule.symbol);
        let group = rules.moves.get(rule.windowSeconds);
        if (!group) {
          group = { windowSeconds: rule.windowSeconds, up: new ThresholdList('above'), down: new ThresholdList('above'), either: new ThresholdList('above') };
          rules.moves.set(rule.windowSeconds, group);
        }
        group[rule.direction].add(entryThreshold(rule).threshold, rule);
        break;
      }
      case 'portfolio_drift':
        file(this.drift, rule.portfolioId ?? ANY, rule);
        break;
      case 'risk_threshold':
        file(this.risk, rule.metric, rule);
        break;
      case 'service_health':
        file(this.health, rule.service ?? ANY, rule);
        break;
    }
  }

  /** Removes a rule (if present). */
  delete(id: string): void {
    const rule = this.byId.get(id);
    if (!rule) return;
    this.byId.delete(id);
    switch (rule.kind) {
      case 'price_threshold':
      case 'price_change': {
        const rules = this.symbols.get(rule.symbol);
        if (!rules) return;
        rules.above.remove(id);
        rules.below.remove(id);
        for (const [window, group] of rules.moves) {
          group.up.remove(id);
          group.down.remove(id);
          group.either.remove(id);
          if (group.up.size + group.down.size + group.either.size === 0) rules.moves.delete(window);
        }
        if (rules.above.size + rules.below.size + rules.moves.size === 0) this.symbols.delete(rule.symbol);
        return;
      }
      case 'portfolio_drift':
        unfile(this.drift, rule.portfolioId ?? ANY, id);
        return;
      case 'risk_threshold':
        unfile(this.risk, rule.metric, id);
        return;
      case 'service_health':
        unfile(this.health, rule.service ?? ANY, id);
        return;
    }
  }

  /** Whether any enabled rule watches the prices of `symbol`. */
  watchesSymbol(symbol: string): boolean {
    return this.symbols.has(symbol);
  }

  /** The longest window (ms) of the enabled `price_change` rules on `symbol` (0: none). */
  longestWindowMs(symbol: string): number {
    let longest = 0;
    for (const window of this.symbols.get(symbol)?.moves.keys() ?? []) longest = Math.max(longest, window * 1000);
    return longest;
  }

  /**
   * The enabled price rules on `symbol` whose condition holds at `price`: thresholds it passes,
   * and moves whose value against their reference (`referenceAt(windowSeconds)`, the price a
   * window before the event) passes their level. A rule whose condition does not hold and
   * whose state is inactive stays inactive: the caller adds the rules with active states.
   */
  priceCandidates(symbol: string, price: number, referenceAt: (windowSeconds: number) => number | undefined, visit: (rule: RuleDefinition) => void): void {
    const rules = this.symbols.get(symbol);
    if (!rules) return;
    rules.above.forEachPassed(price, visit);
    rules.below.forEachPassed(price, visit);
    for (const group of rules.moves.values()) {
      const reference = referenceAt(group.windowSeconds);
      if (reference === undefined || !(reference > 0)) continue;
      // The value of observe's measurePriceChange, for each direction.
      const change = roundValue(((price - reference) / reference) * 100);
      group.up.forEachPassed(change, visit);
      group.down.forEachPassed(-change, visit);
      group.either.forEachPassed(Math.abs(change), visit);
    }
  }

  /** The enabled `portfolio_drift` rules for a portfolio (those naming it and those for every portfolio). */
  driftRules(portfolioId: string): readonly RuleDefinition[] {
    return joined(this.drift.get(portfolioId), this.drift.get(ANY));
  }

  /** The enabled `risk_threshold` rules of a metric. */
  riskRules(metric: string): readonly RuleDefinition[] {
    return this.risk.get(metric) ?? [];
  }

  /** The enabled `service_health` rules for a service (those naming it and those for every service). */
  healthRules(service: string): readonly RuleDefinition[] {
    return joined(this.health.get(service), this.health.get(ANY));
  }

  private symbol(symbol: string): SymbolRules {
    let rules = this.symbols.get(symbol);
    if (!rules) {
      rules = { above: new ThresholdList('above'), below: new ThresholdList('below'), moves: new Map() };
      this.symbols.set(symbol, rules);
    }
    return rules;
  }
}

function file(map: Map<string, RuleDefinition[]>, key: string, rule: RuleDefinition): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

function unfile(map: Map<string, RuleDefinition[]>, key: string, id: string): void {
  const list = map.get(key)?.filter((rule) => rule.id !== id);
  if (!list || list.length === 0) map.delete(key);
  else map.set(key, list);
}

function joined(a: readonly RuleDefinition[] | undefined, b: readonly RuleDefinition[] | undefined): readonly RuleDefinition[] {
  if (!a) return b ?? [];
  if (!b) return a;
  return [...a, ...b];
}
