import type { RuleDefinition } from '../rules';

/**
 * Rules of one subject and direction, sorted by their entry level (the least severe threshold:
 * a rule's condition holds exactly when its value passes it). For `above` (higher is worse) the
 * rules passed by a value are those with level ≤ value, a prefix of the ascending order; for
 * `below`, those with level ≥ value, a prefix of the descending order. A lookup is a binary
 * search plus the rules it returns; changes re-sort lazily (rules change rarely).
 */
export class ThresholdList {
  private levels: number[] = [];
  private rules: RuleDefinition[] = [];
  private sorted = true;

  /** @param direction `above`: passed when value ≥ level; `below`: passed when value ≤ level */
  constructor(readonly direction: 'above' | 'below') {}

  /** Number of rules. */
  get size(): number {
    return this.rules.length;
  }

  /** Adds a rule at its entry level. */
  add(level: number, rule: RuleDefinition): void {
    this.levels.push(level);
    this.rules.push(rule);
    this.sorted = false;
  }

  /** Removes the rule with this id (if present). */
  remove(ruleId: string): void {
    const at = this.rules.findIndex((rule) => rule.id === ruleId);
    if (at < 0) return;
    this.levels.splice(at, 1);
    this.rules.splice(at, 1);
  }

  /** Calls `visit` for every rule whose entry level `value` passes. */
  forEachPassed(value: number, visit: (rule: RuleDefinition) => void): void {
    if (this.rules.length === 0 || Number.isNaN(value)) return;
    if (!this.sorted) this.sort();
    const end = this.passedCount(value);
    for (let i = 0; i < end; i += 1) visit(this.rules[i] as RuleDefinition);
  }

  /** How many rules (a prefix of the sorted order) `value` passes. */
  private passedCount(value: number): number {
    let low = 0;
    let high = this.levels.length;
    const above = this.direction === 'above';
    while (low < high) {
      const mid = (low + high) >>> 1;
      const level = this.levels[mid] as number;
      if (above ? level <= value : level >= value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private sort(): void {
    const order = this.levels.map((_, i) => i);
    const sign = this.direction === 'above' ? 1 : -1;
    order.sort((a, b) => sign * ((this.levels[a] as number) - (this.levels[b] as number)));
    this.levels = order.map((i) => this.levels[i] as number);
    this.rules = order.map((i) => this.rules[i] as RuleDefinition);
    this.sorted = true;
  }
}
