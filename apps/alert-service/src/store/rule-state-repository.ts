import type { RuleState } from '../rules';
import { dueMember, parseDueMember } from './alert-keys';
import type { StoreContext } from './store-context';

/** One (rule, fingerprint). */
export interface RuleStateRef {
  /** The rule's id. */
  ruleId: string;
  /** The alert identity's fingerprint. */
  fingerprint: string;
}

/** A stored rule state and its version (the compare-and-set token; 0 = never stored). */
export interface VersionedRuleState {
  /** The engine state. */
  state: RuleState;
  /** Increases by one with every write. */
  version: number;
}

/** A rule state whose `tick` is due. */
export interface DueRuleState extends RuleStateRef {
  /** When it became due, epoch ms. */
  dueAtMs: number;
}

/** Reads of rule states, due times and idempotency markers (writes go through commit plans). */
export class RuleStateRepository {
  /** @param ctx the store's shared context */
  constructor(private readonly ctx: StoreContext) {}

  /** The stored states of `refs`, in order (`undefined` where none is stored). One round trip. */
  async read(refs: readonly RuleStateRef[]): Promise<Array<VersionedRuleState | undefined>> {
    if (refs.length === 0) return [];
    const pipeline = this.ctx.redis.pipeline();
    for (const ref of refs) pipeline.hmget(this.ctx.keys.ruleState(ref.ruleId, ref.fingerprint), 's', 'v');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, reply]) => {
      if (error) throw error;
      const [state, version] = reply as [string | null, string | null];
      return state ? { state: JSON.parse(state) as RuleState, version: Number(version ?? 0) } : undefined;
    });
  }

  /** Whether the event's effects were already committed (its marker exists). */
  async isProcessed(eventId: string): Promise<boolean> {
    return (await this.ctx.redis.exists(this.ctx.keys.processed(eventId))) === 1;
  }

  /** Up to `limit` rule states whose tick is due at `nowMs`, earliest first. */
  async due(nowMs: number, limit: number): Promise<DueRuleState[]> {
    const reply = await this.ctx.redis.zrangebyscore(this.ctx.keys.due, '-inf', nowMs, 'WITHSCORES', 'LIMIT', 0, limit);
    const due: DueRuleState[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) due.push({ ...parseDueMember(reply[i] as string), dueAtMs: Number(reply[i + 1]) });
    return due;
  }

  /** Moves (or, with `undefined`, removes) the due time of a rule state outside a commit. */
  async reschedule(ref: RuleStateRef, dueAtMs: number | undefined): Promise<void> {
    const member = dueMember(ref.ruleId, ref.fingerprint);
    if (dueAtMs === undefined) await this.ctx.redis.zrem(this.ctx.keys.due, member);
    else await this.ctx.redis.zadd(this.ctx.keys.due, dueAtMs, member);
  }
}
