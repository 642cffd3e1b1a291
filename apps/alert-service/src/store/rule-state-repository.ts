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
  /** Wall clock − event time when it was last observed, when not 0: its due times are its event times plus this. */
  frameOffsetMs?: number;
}

/** A rule state whose `tick` is due. */
export interface DueRuleState extends RuleStateRef {
  /** When it became due, wall-clock epoch ms. */
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
    for (const ref of refs) pipeline.hmget(this.ctx.keys.ruleState(ref.ruleId, ref.fingerprint), 's', 'v', 'o');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, reply]) => {
      if (error) throw error;
      const [state, version, offset] = reply as [string | null, string | null, string | null];
      if (!state) return undefined;
      const read: VersionedRuleState = { state: JSON.parse(state) as RuleState, version: Number(version ?? 0) };
      if (Number(offset ?? 0) !== 0) read.frameOffsetMs = Number(offset);
      return read;
    });
  }

  /** Whether the event's effects were already committed (its marker exists). */
  async isProcessed(eventId: string): Promise<boolean> {
    return (await this.ctx.redis.exists(this.ctx.keys.processed(eventId))) === 1;
  }

  /** Up to `limit` rule states whose tick is due at wall-clock `nowMs`, earliest first. */
  async due(nowMs: number, limit: number): Promise<DueRuleState[]> {
    return this.parse(await this.ctx.redis.zrangebyscore(this.ctx.keys.due, '-inf', nowMs, 'WITHSCORES', 'LIMIT', 0, limit));
  }

  /** Every rule state with a due time, earliest first (states with running timers only: few). */
  async allDue(): Promise<DueRuleState[]> {
    return this.parse(await this.ctx.redis.zrange(this.ctx.keys.due, 0, -1, 'WITHSCORES'));
  }

  /**
   * Moves (or, with `undefined`, removes) the due time of a rule state outside an evaluation,
   * only if the state is still at `expectedVersion` (0: no state stored): a decision made on a
   * state that an evaluation changed meanwhile never overwrites the due time that evaluation set.
   * @returns false when the state changed (nothing written: read it again)
   */
  async reschedule(ref: RuleStateRef, expectedVersion: number, dueAtMs: number | undefined): Promise<boolean> {
    const member = dueMember(ref.ruleId, ref.fingerprint);
    const plan = this.ctx.newPlan().expectHashVersion(this.ctx.keys.ruleState(ref.ruleId, ref.fingerprint), expectedVersion);
    if (dueAtMs === undefined) plan.write('ZREM', this.ctx.keys.due, member);
    else plan.write('ZADD', this.ctx.keys.due, dueAtMs, member);
    return (await plan.run(this.ctx.redis)).status === 'ok';
  }

  private parse(reply: string[]): DueRuleState[] {
    const due: DueRuleState[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) due.push({ ...parseDueMember(reply[i] as string), dueAtMs: Number(reply[i + 1]) });
    return due;
  }
}
