import { compareStreamIds } from '@rebal/redis-client';
import { parseRuleDefinition, type RuleDefinition } from '../rules';
import { RuleNotFoundError } from './alert-store-errors';
import type { StoreContext } from './store-context';

/** Entries the rule change log keeps (MAXLEN ~): a cache further behind reads every rule again. */
export const CHANGE_LOG_LENGTH = 10_000;

/** Why the engine disabled a rule by itself (`{alerts}:rules:disabled`); a write of the rule through the API clears it. */
export interface RuleDisabled {
  /** `trigger_once`: a rule with `trigger: "once"` fired. */
  reason: 'trigger_once';
  /** When (the event time of the raise), epoch ms. */
  at: number;
  /** The alert it raised. */
  alertId?: string;
}

/** What changed in the rules since a change-log position. */
export interface RuleChanges {
  /** The change-log id to read on from next time. */
  lastId: string;
  /** The rule ids that changed (put, created or deleted), or `all`. */
  ids: readonly string[] | 'all';
}

/**
 * Rule definitions in Redis: a hash id → JSON (validated on write, parsed again on read so
 * defaults added later apply), a version counter bumped on every change (what rule caches
 * poll), a change log (a capped stream of the rule ids written, in the same transaction as
 * the counter), so a cache of 100,000 rules reads only the rules that changed, and a marker
 * set by the first seeding. A rule the engine disabled by itself (a `once` rule that fired:
 * the commit of its raise writes the reason, bumps the version and appends to the change log)
 * is read with `enabled: false`; writing the rule again (PUT) or deleting it clears the reason,
 * so a client re-arms it with the definition it wants.
 */
export class RuleRepository {
  /** @param ctx the store's shared context */
  constructor(private readonly ctx: StoreContext) {}

  /** Every rule, sorted by id. A stored rule that no longer validates is skipped and logged. */
  async list(): Promise<RuleDefinition[]> {
    const [stored, disabled] = await Promise.all([this.ctx.redis.hgetall(this.ctx.keys.rules), this.ctx.redis.hgetall(this.ctx.keys.rulesDisabled)]);
    const rules: RuleDefinition[] = [];
    for (const [id, text] of Object.entries(stored)) {
      const rule = this.parse(id, text, disabled[id]);
      if (rule) rules.push(rule);
    }
    return rules.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One rule, or `undefined`. */
  async get(id: string): Promise<RuleDefinition | undefined> {
    const [text, disabled] = await Promise.all([this.ctx.redis.hget(this.ctx.keys.rules, id), this.ctx.redis.hget(this.ctx.keys.rulesDisabled, id)]);
    return text ? this.parse(id, text, disabled ?? undefined) : undefined;
  }

  /** Rules by id, in order (`undefined`: none, or stored invalid). */
  async getMany(ids: readonly string[]): Promise<Array<RuleDefinition | undefined>> {
    if (ids.length === 0) return [];
    const [texts, disabled] = await Promise.all([this.ctx.redis.hmget(this.ctx.keys.rules, ...ids), this.ctx.redis.hmget(this.ctx.keys.rulesDisabled, ...ids)]);
    return texts.map((text, i) => (text ? this.parse(ids[i] as string, text, disabled[i] ?? undefined) : undefined));
  }

  /** Why the engine disabled rules by itself, by rule id (rules it did not disable are absent). One HGETALL. */
  async disabledReasons(): Promise<Map<string, RuleDisabled>> {
    const stored = await this.ctx.redis.hgetall(this.ctx.keys.rulesDisabled);
    const reasons = new Map<string, RuleDisabled>();
    for (const [id, text] of Object.entries(stored)) {
      const reason = parseDisabled(text);
      if (reason) reasons.set(id, reason);
    }
    return reasons;
  }

  /** See `AlertStore.ruleChangesSince`. */
  async changesSince(afterId: string): Promise<RuleChanges> {
    const { redis, keys } = this.ctx;
    const replies = (await redis.multi().xrange(keys.rulesChanges, afterId === '0-0' ? '-' : `(${afterId}`, '+').xrange(keys.rulesChanges, '-', '+', 'COUNT', 1).exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const entries = (replies[0]?.[1] ?? []) as Array<[string, string[]]>;
    const [first] = (replies[1]?.[1] ?? []) as Array<[string, string[]]>;
    const lastId = entries[entries.length - 1]?.[0] ?? afterId;
    // The log was trimmed past the position: changes may be missing.
    if (afterId !== '0-0' && first !== undefined && compareStreamIds(first[0], afterId) > 0) return { lastId, ids: 'all' };
    const ids = new Set<string>();
    for (const [, fields] of entries) {
      const id = fields[fields.indexOf('rule') + 1];
      if (id === '*') return { lastId, ids: 'all' };
      if (id !== undefined) ids.add(id);
    }
    return { lastId, ids: [...ids] };
  }

  /** The newest change-log id (`0-0` when the log is empty): where a cache that just read every rule reads on from. */
  async lastChangeId(): Promise<string> {
    const [last] = (await this.ctx.redis.xrevrange(this.ctx.keys.rulesChanges, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    return last?.[0] ?? '0-0';
  }

  /**
   * Creates a rule unless one has its `id`: the check and the write are one command
   * (`HSETNX`), so of concurrent creators exactly one succeeds and none is overwritten.
   * @returns the stored rule with defaults applied, and whether it was created (`false`: the
   *   id is taken and nothing was written)
   * @throws RuleValidationError (code `ERR_RULE_INVALID`) listing every bad field
   */
  async create(input: unknown): Promise<{ rule: RuleDefinition; created: boolean }> {
    const rule = parseRuleDefinition(input);
    const replies = await this.ctx.redis
      .multi()
      .hsetnx(this.ctx.keys.rules, rule.id, JSON.stringify(rule))
      // Bumped even when the id is taken: the caches then reload a rule that did not change, which is harmless.
      .incr(this.ctx.keys.rulesVersion)
      .xadd(this.ctx.keys.rulesChanges, 'MAXLEN', '~', String(CHANGE_LOG_LENGTH), '*', 'rule', rule.id)
      .exec();
    for (const [error] of replies ?? []) if (error) throw error;
    const created = Number(replies?.[0]?.[1] ?? 0) === 1;
    if (created) this.ctx.logger.info({ ruleId: rule.id, created }, 'alert rule saved');
    return { rule, created };
  }

  /**
   * Creates or replaces a rule (by its `id`).
   * @returns the stored rule with defaults applied, and whether it was new
   * @throws RuleValidationError (code `ERR_RULE_INVALID`) listing every bad field
   */
  async put(input: unknown): Promise<{ rule: RuleDefinition; created: boolean }> {
    const rule = parseRuleDefinition(input);
    const replies = await this.ctx.redis
      .multi()
      .hset(this.ctx.keys.rules, rule.id, JSON.stringify(rule))
      // The definition written is the one that holds: a rule the engine disabled is re-armed or kept off by it.
      .hdel(this.ctx.keys.rulesDisabled, rule.id)
      .incr(this.ctx.keys.rulesVersion)
      .xadd(this.ctx.keys.rulesChanges, 'MAXLEN', '~', String(CHANGE_LOG_LENGTH), '*', 'rule', rule.id)
      .exec();
    const added = Number(replies?.[0]?.[1] ?? 0);
    this.ctx.logger.info({ ruleId: rule.id, created: added === 1 }, 'alert rule saved');
    return { rule, created: added === 1 };
  }

  /**
   * Deletes a rule. Its open alerts stay open (people resolve them); its states are no longer
   * evaluated.
   * @throws RuleNotFoundError (code `ERR_RULE_NOT_FOUND`) for an unknown id
   */
  async delete(id: string): Promise<void> {
    const replies = await this.ctx.redis
      .multi()
      .hdel(this.ctx.keys.rules, id)
      .hdel(this.ctx.keys.rulesDisabled, id)
      .incr(this.ctx.keys.rulesVersion)
      .xadd(this.ctx.keys.rulesChanges, 'MAXLEN', '~', String(CHANGE_LOG_LENGTH), '*', 'rule', id)
      .exec();
    if (Number(replies?.[0]?.[1] ?? 0) === 0) throw new RuleNotFoundError(id);
    this.ctx.logger.info({ ruleId: id }, 'alert rule deleted');
  }

  /**
   * Writes `rules` on the very first start only: the first call sets a marker in the same
   * script, so rules deleted later are not brought back by the next start.
   * @returns how many rules were written (0 once seeded)
   */
  async seedIfEmpty(rules: readonly RuleDefinition[]): Promise<number> {
    const validated = rules.map((rule) => parseRuleDefinition(rule));
    const plan = this.ctx.newPlan().expectValue(this.ctx.keys.rulesSeeded, undefined);
    plan.write('SET', this.ctx.keys.rulesSeeded, String(this.ctx.options.clock()));
    for (const rule of validated) plan.write('HSETNX', this.ctx.keys.rules, rule.id, JSON.stringify(rule));
    plan.write('INCR', this.ctx.keys.rulesVersion).write('XADD', this.ctx.keys.rulesChanges, 'MAXLEN', '~', CHANGE_LOG_LENGTH, '*', 'rule', '*');
    const outcome = await plan.run(this.ctx.redis);
    if (outcome.status !== 'ok') return 0;
    this.ctx.logger.info({ rules: validated.length }, 'alert rules seeded');
    return validated.length;
  }

  /** The rules version counter (0 before any change). */
  async version(): Promise<number> {
    return Number((await this.ctx.redis.get(this.ctx.keys.rulesVersion)) ?? 0);
  }

  private parse(id: string, text: string, disabled?: string): RuleDefinition | undefined {
    try {
      const rule = parseRuleDefinition(JSON.parse(text));
      return disabled !== undefined && rule.enabled && parseDisabled(disabled) ? { ...rule, enabled: false } : rule;
    } catch (error) {
      this.ctx.logger.warn({ ruleId: id, err: error }, 'stored alert rule is invalid and is ignored');
      return undefined;
    }
  }
}

/** A stored reason (`{alerts}:rules:disabled`), or `undefined` when it cannot be read. */
export function parseDisabled(text: string): RuleDisabled | undefined {
  try {
    const value = JSON.parse(text) as Partial<RuleDisabled>;
    return typeof value.reason === 'string' && typeof value.at === 'number' ? (value as RuleDisabled) : undefined;
  } catch {
    return undefined;
  }
}
