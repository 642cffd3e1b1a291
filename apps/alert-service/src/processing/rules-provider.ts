import { silentLogger, type Logger } from '@rebal/redis-client';
import type { RuleDefinition } from '../rules';
import type { AlertStore } from '../store';

/** Where the processor gets its rules from. */
export interface RuleSource {
  /** The current rules (all of them; disabled ones observe nothing). */
  rules(): Promise<readonly RuleDefinition[]>;
  /** One rule by id, or `undefined`. */
  getRule(id: string): Promise<RuleDefinition | undefined>;
}

/** Options of {@link RulesProvider}. */
export interface RulesProviderOptions {
  /** The store holding the rules. */
  store: Pick<AlertStore, 'listRules' | 'rulesVersion'>;
  /** At most this often (ms) the rules version counter is read; rules are reloaded only when it changed (default 2000). */
  refreshIntervalMs?: number;
  /** Current time in ms (default `Date.now`). */
  clock?: () => number;
  /** Logger (default: silent). */
  logger?: Logger;
}

/**
 * A cache of the rules: serves them from memory and, at most every `refreshIntervalMs`,
 * reads the store's rules version (one GET) and reloads only when it changed, so a rule put
 * through the API on any replica is in effect within that interval. `invalidate()` forces
 * the next call to check. A failed refresh keeps serving the last rules.
 */
export class RulesProvider implements RuleSource {
  private readonly store: RulesProviderOptions['store'];
  private readonly refreshIntervalMs: number;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private cached?: { version: number; rules: readonly RuleDefinition[]; byId: Map<string, RuleDefinition> };
  private checkedAt = -Infinity;
  /** Bumped by `invalidate()`: a refresh that began before the bump does not count as fresh. */
  private generation = 0;
  private refreshing?: Promise<void>;

  /** @throws RangeError for a bad `refreshIntervalMs` */
  constructor(options: RulesProviderOptions) {
    this.store = options.store;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 2_000;
    if (!Number.isInteger(this.refreshIntervalMs) || this.refreshIntervalMs < 0) {
      throw new RangeError(`refreshIntervalMs must be a non-negative integer, got ${this.refreshIntervalMs}`);
    }
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? silentLogger();
  }

  /** @inheritdoc */
  async rules(): Promise<readonly RuleDefinition[]> {
    await this.refreshIfStale();
    return this.cached?.rules ?? [];
  }

  /** @inheritdoc */
  async getRule(id: string): Promise<RuleDefinition | undefined> {
    await this.refreshIfStale();
    return this.cached?.byId.get(id);
  }

  /** Makes the next call check the version (e.g. right after a rule change in this process). */
  invalidate(): void {
    this.generation++;
    this.checkedAt = -Infinity;
  }

  private fresh(): boolean {
    return this.cached !== undefined && this.clock() - this.checkedAt < this.refreshIntervalMs;
  }

  private async refreshIfStale(): Promise<void> {
    if (this.fresh()) return;
    // A refresh already in flight may have read the version before a change that invalidated
    // the cache: wait for it, and if it did not leave the cache fresh, run one more.
    if (this.refreshing) {
      await this.refreshing;
      if (this.fresh()) return;
    }
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    await this.refreshing;
  }

  private async refresh(): Promise<void> {
    const generation = this.generation;
    try {
      const version = await this.store.rulesVersion();
      if (!this.cached || this.cached.version !== version) {
        const rules = await this.store.listRules();
        this.cached = { version, rules, byId: new Map(rules.map((rule) => [rule.id, rule])) };
        this.logger.info({ rules: rules.length, version }, 'alert rules loaded');
      }
      if (this.generation === generation) this.checkedAt = this.clock();
    } catch (error) {
      if (!this.cached) throw error;
      this.logger.warn({ err: error }, 'alert rules refresh failed; using the last rules');
    }
  }
}
