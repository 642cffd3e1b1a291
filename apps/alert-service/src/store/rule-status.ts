import { feedName, PRICE_FEED_STREAM } from '../engine/event-routing';
import type { RuleDefinition, RulePhase, RuleState } from '../rules';
import { parseDisabled, type RuleDisabled } from './rule-repository';
import type { StoreContext } from './store-context';

/** Labels that say what a rule state observes (a symbol, a portfolio and symbol, ...), as opposed to the rule's own. */
const SUBJECT_LABELS = ['symbol', 'portfolioId', 'metric', 'window', 'service', 'instance'] as const;

/** Where a rule stands for one thing it observes. */
export interface RuleSubjectStatus {
  /** What it observes: `{symbol}` for a price rule, `{portfolioId, symbol}` for drift, `{metric, portfolioId?, window?}` for risk, `{service, instance?}` for health. */
  subject: Record<string, string>;
  /** `no_data` while the subject's feed is announced stale (price rules: `market_data:<symbol>`), else its phase. */
  state: RulePhase | 'no_data';
  /** The engine's phase: `inactive`, `pending`, `firing` or `cooldown` (a firing alert stays firing while its feed is stale). */
  phase: RulePhase;
  /** When `state` began (the feed's stale announcement for `no_data`, else the phase's start), epoch ms. */
  since?: number;
  /** `no_data`: the stale feed, e.g. `market_data:BTC`. */
  feed?: string;
}

/** A rule's status, beside its definition in `GET /rules` and `GET /rules/{id}`. */
export interface RuleStatus {
  /** `disabled` (`enabled: false`, by a person or by the rule's `once` trigger), `expired` (past `expiresAt`), else `active`. */
  state: 'active' | 'disabled' | 'expired';
  /** Why the engine disabled it by itself, when it did (a `once` rule that fired). */
  disabled?: RuleDisabled;
  /**
   * Per subject: a price rule's symbol always; for the other kinds, each subject whose state is
   * not inactive (a rule watching every portfolio has one per drifting holding).
   */
  subjects: RuleSubjectStatus[];
}

/** The stored state of `<ruleId>|<fp>` in a partition's states hash (`{s: RuleState, ...}`). */
function storedState(json: string): RuleState | undefined {
  try {
    const state = (JSON.parse(json) as { s?: RuleState }).s;
    return state && typeof state.phase === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

function subjectOf(labels: Readonly<Record<string, string>>): Record<string, string> {
  const subject: Record<string, string> = {};
  for (const name of SUBJECT_LABELS) if (labels[name] !== undefined) subject[name] = labels[name];
  return subject;
}

/**
 * The status of each rule (by id), read from what the engine keeps in Redis: the states that are
 * not inactive of every partition (written when a rule changes phase), the feeds' statuses and
 * the reasons the engine disabled rules. A few commands per call whatever the number of rules
 * (one HGETALL per partition, plus two); nothing is written.
 */
export async function readRuleStatuses(ctx: StoreContext, rules: readonly RuleDefinition[], nowMs: number): Promise<Map<string, RuleStatus>> {
  const { redis, keys } = ctx;
  const partitions = Number((await redis.get(keys.partitionCount)) ?? 0);
  const pipeline = redis.pipeline().hgetall(keys.feeds).hgetall(keys.rulesDisabled);
  for (let index = 0; index < partitions; index += 1) pipeline.hgetall(keys.partitionStates(index));
  const replies = (await pipeline.exec()) ?? [];
  for (const [error] of replies) if (error) throw error;
  const [feedsReply, disabledReply, ...statesReplies] = replies.map(([, value]) => (value ?? {}) as Record<string, string>);
  const staleFeeds = new Map<string, number>();
  for (const [feed, json] of Object.entries(feedsReply ?? {})) {
    try {
      const state = JSON.parse(json) as { status?: string; since?: number };
      if (state.status === 'stale') staleFeeds.set(feed, Number(state.since));
    } catch {
      // An unreadable feed status says nothing; the next announcement replaces it.
    }
  }
  const wanted = new Set(rules.map((rule) => rule.id));
  const states = new Map<string, RuleState[]>();
  for (const reply of statesReplies) {
    for (const [field, json] of Object.entries(reply)) {
      const ruleId = field.slice(0, field.lastIndexOf('|'));
      if (!wanted.has(ruleId)) continue;
      const state = storedState(json);
      if (!state || state.phase === 'inactive') continue;
      const list = states.get(ruleId);
      if (list) list.push(state);
      else states.set(ruleId, [state]);
    }
  }
  const statuses = new Map<string, RuleStatus>();
  for (const rule of rules) {
    const held = states.get(rule.id) ?? [];
    const subjects: RuleSubjectStatus[] = held.map((state) => {
      const entry: RuleSubjectStatus = { subject: subjectOf(state.labels ?? {}), state: state.phase, phase: state.phase };
      if (state.since !== undefined) entry.since = state.since;
      return entry;
    });
    if (rule.kind === 'price_threshold' || rule.kind === 'price_change') {
      if (subjects.length === 0) subjects.push({ subject: { symbol: rule.symbol }, state: 'inactive', phase: 'inactive' });
      const feed = feedName(PRICE_FEED_STREAM, rule.symbol);
      const staleSince = staleFeeds.get(feed);
      if (staleSince !== undefined) {
        for (const subject of subjects) Object.assign(subject, { state: 'no_data', feed, ...(Number.isFinite(staleSince) ? { since: staleSince } : {}) });
      }
    }
    const disabled = disabledReply?.[rule.id] === undefined ? undefined : parseDisabled(disabledReply[rule.id] as string);
    const expired = rule.expiresAt !== undefined && Date.parse(rule.expiresAt) <= nowMs;
    statuses.set(rule.id, {
      state: !rule.enabled ? 'disabled' : expired ? 'expired' : 'active',
      ...(disabled && !rule.enabled ? { disabled } : {}),
      subjects,
    });
  }
  return statuses;
}

