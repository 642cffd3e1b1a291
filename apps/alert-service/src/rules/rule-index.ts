import type { RuleEvent } from './observe';
import type { RuleDefinition, RuleKind } from './rule-definition';

/** The enabled rules, grouped by what an event must be for them to observe it. */
interface RuleIndex {
  /** `price_threshold` and `price_change` rules per symbol. */
  readonly bySymbol: ReadonlyMap<string, readonly RuleDefinition[]>;
  /** The other kinds' rules per kind. */
  readonly byKind: ReadonlyMap<RuleKind, readonly RuleDefinition[]>;
}

/** The kind of rule each non-price event type can concern. */
const KIND_OF_EVENT: Readonly<Record<string, RuleKind>> = {
  portfolio_snapshot: 'portfolio_drift',
  risk_metric: 'risk_threshold',
  system_status: 'service_health',
};

// One index per rules array: the rules provider hands out the same array until the rules change.
const indexes = new WeakMap<readonly RuleDefinition[], RuleIndex>();

function buildIndex(rules: readonly RuleDefinition[]): RuleIndex {
  const bySymbol = new Map<string, RuleDefinition[]>();
  const byKind = new Map<RuleKind, RuleDefinition[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.kind === 'price_threshold' || rule.kind === 'price_change') {
      const list = bySymbol.get(rule.symbol);
      if (list) list.push(rule);
      else bySymbol.set(rule.symbol, [rule]);
    } else {
      const list = byKind.get(rule.kind);
      if (list) list.push(rule);
      else byKind.set(rule.kind, [rule]);
    }
  }
  return { bySymbol, byKind };
}

/**
 * The rules that may observe `event`, in their original order: enabled ones of the kind the
 * event type concerns and, for a `price_update`, on its symbol. Every rule left out would
 * observe nothing (see `observe`), so callers evaluate a handful of rules per event instead
 * of all of them. The index is built once per rules array and kept while the array lives.
 */
export function candidateRules(rules: readonly RuleDefinition[], event: Pick<RuleEvent, 'type' | 'data'>): readonly RuleDefinition[] {
  let index = indexes.get(rules);
  if (!index) {
    index = buildIndex(rules);
    indexes.set(rules, index);
  }
  if (event.type === 'price_update') {
    const symbol = (event.data as { symbol?: unknown } | null | undefined)?.symbol;
    return typeof symbol === 'string' ? (index.bySymbol.get(symbol) ?? []) : [];
  }
  const kind = KIND_OF_EVENT[event.type];
  return kind === undefined ? [] : (index.byKind.get(kind) ?? []);
}
