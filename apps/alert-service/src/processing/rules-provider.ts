import { silentLogger, type Logger } from '@rebal/redis-client';
import type { RuleDefinition } from '../rules';
import type { AlertStore } from '../store';

/** What changed in the rules since the last look. */
export interface RuleChangeSet {
  /** Rules created or replaced (disabled ones included). */
  readonly changed: readonly RuleDefinition[];
  /** Ids of rules deleted. */
  readonly deleted: readonly string[];
}

/** How often the rules version is read unless `RULES_REFRESH_INTERVAL` says otherwise. */
export const DEFAULT_RULES_REFRESH_INTERVAL_MS = 2_000;

/** Options of {@link RulesProvider}. */
export interface RulesProviderOptions {
  /** The store holding the rules. */
  store: Pick<AlertStore, 'listRules' | 'rulesVersion' | 'ruleChangesSince' | 'getRules' | 'lastRuleChangeId'>;
  /** At most this often (ms) the rules version counter is read; changes are read only when it moved (default {@link DEFAULT_RULES_REFRESH_INTERVAL_MS}). */
  refreshIntervalMs?: number;
  /** Current time in ms (default `Date.now`). */
  clock?: () => number;
  /** Logger (default: silent). */
  logger?: Logger;
}

/**
 * Follows the stored rules without reading them all again: `load()` reads every rule once
 * (HGETALL) with the rules version and the change log's position; then, at most every
 * `refreshIntervalMs`, `changes()` reads the version (one GET) and, only when it moved, the
 * change log since its position and the rules it names (HMGET), so a rule put through the API on
 * any replica is in effect within that interval whatever the number of rules. `invalidate()`
 * forces the next call to look. When the log no longer reaches back far enough (more changes
 * than it keeps) or the seed wrote every rule, every rule is read again.
 */
export class RulesProvider {
  private readonly store: RulesProviderOptions['store'];
  private readonly refreshIntervalMs: number;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private seen?: { version: number; lastId: string; ids: Set<string> };
  private checkedAt = -Infinity;
  /** Bumped by `invalidate()`: a look that began before the bump does not count as fresh. */
  private generation = 0;

  /** @throws RangeError for a bad `refreshIntervalMs` */
  constructor(options: RulesProviderOptions) {
    this.store = options.store;
    this.refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_RULES_REFRESH_INTERVAL_MS;
    if (!Number.isInteger(this.refreshIntervalMs) || this.refreshIntervalMs < 0) {
      throw new RangeError(`refreshIntervalMs must be a non-negative integer, got ${this.refreshIntervalMs}`);
    }
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger();
  }

  /** Every rule (disabled ones included), read now; later changes come from `changes()`. */
  async load(): Promise<RuleDefinition[]> {
    const generation = this.generation;
    // Version and log position first: a change landing during the read is read again, never missed.
    const version = await this.store.rulesVersion();
    const lastId = await this.store.lastRuleChangeId();
    const rules = await this.store.listRules();
    this.seen = { version, lastId, ids: new Set(rules.map((rule) => rule.id)) };
    if (this.generation === generation) this.checkedAt = this.clock();
    this.logger.info({ rules: rules.length, version }, 'alert rules loaded');
    return rules;
  }

  /**
   * What changed since the last `load()` or `changes()`: `undefined` when nothing did or the
   * interval has not passed. A failed read is thrown (the caller looks again later).
   */
  async changes(): Promise<RuleChangeSet | undefined> {
    const seen = this.seen;
    if (!seen) throw new Error('RulesProvider.changes() before load()');
    if (this.clock() - this.checkedAt < this.refreshIntervalMs) return undefined;
    const generation = this.generation;
    const version = await this.store.rulesVersion();
    let result: RuleChangeSet | undefined;
    if (version !== seen.version) {
      const log = await this.store.ruleChangesSince(seen.lastId);
      if (log.ids === 'all') {
        const rules = await this.store.listRules();
        const ids = new Set(rules.map((rule) => rule.id));
        result = { changed: rules, deleted: [...seen.ids].filter((id) => !ids.has(id)) };
        seen.ids = ids;
      } else {
        const rules = await this.store.getRules(log.ids);
        const changed: RuleDefinition[] = [];
        const deleted: string[] = [];
        log.ids.forEach((id, i) => {
          const rule = rules[i];
          if (rule) {
            changed.push(rule);
            seen.ids.add(id);
          } else {
            deleted.push(id);
            seen.ids.delete(id);
          }
        });
        result = { changed, deleted };
      }
      seen.version = version;
      seen.lastId = log.lastId;
      this.logger.info({ changed: result.changed.length, deleted: result.deleted.length, version }, 'alert rules changed');
    }
    if (this.generation === generation) this.checkedAt = this.clock();
    return result;
  }

  /** Makes the next `changes()` look at once (e.g. right after a rule change in this process). */
  invalidate(): void {
    this.generation++;
    this.checkedAt = -Infinity;
  }
}
