import { join } from 'node:path';
import { LuaScript, type RedisConnection } from '@rebal/redis-client';

/** Commands a plan may write with (the script refuses any other). */
export type PlanWriteCommand = 'SET' | 'DEL' | 'ZADD' | 'ZREM' | 'ZREMRANGEBYSCORE' | 'HSET' | 'HSETNX' | 'HDEL' | 'HINCRBY' | 'INCR' | 'XADD';

/** How an event's notification is decided inside the script. */
export type PlanNotification =
  | { kind: 'none' }
  | { kind: 'suppressed'; reason: 'silence' | 'snooze' }
  | {
      kind: 'rate_limit';
      bucketKey: string;
      dayKey: string;
      dayKeyTtlSeconds: number;
      perMinute: number;
      burst: number;
      perDay: number;
      nowMs: number;
    };

/** Decision the script took for one event. */
export type PlanDecision = 'notify' | 'none' | 'silence' | 'snooze' | 'rate_limit' | 'budget';

/** Outcome of running a plan. */
export type PlanOutcome =
  | { status: 'ok'; events: Array<{ streamId: string; decision: PlanDecision }> }
  | { status: 'conflict'; key: string };

interface PlanEvent {
  s: number;
  h: number;
  f: string[];
  c: string;
  n: 0 | string | Array<number | string>;
}

const COMMIT = new LuaScript(join(__dirname, 'alert-commit.lua'));

/**
 * A change set for `alert-commit.lua`, built in TypeScript and committed in one script:
 * compare-and-set checks, writes, stream events with history and notification decisions.
 * Keys are declared once each (Cluster routing); the first check of a key wins, so a key read
 * once and changed twice in one plan is checked against what was read.
 */
export class AlertCommitPlan {
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly checks: Array<[string, number, string]> = [];
  private readonly checkedKeys = new Set<string>();
  private readonly writes: Array<[PlanWriteCommand, number, ...string[]]> = [];
  private readonly events: PlanEvent[] = [];

  /**
   * @param maxLen MAXLEN ~ of the stream events
   * @param historyLimit history entries kept per alert
   */
  constructor(
    private readonly maxLen: number,
    private readonly historyLimit: number,
  ) {}

  /** True when the plan writes nothing and emits nothing. */
  get isEmpty(): boolean {
    return this.writes.length === 0 && this.events.length === 0;
  }

  /** Number of events the plan emits. */
  get eventCount(): number {
    return this.events.length;
  }

  /** Hash field `v` of `key` must equal `version` (0: the key must not exist). */
  expectHashVersion(key: string, version: number): this {
    return this.check('hv', key, String(version));
  }

  /** The JSON record at `key` must have `version` (0: the key must not exist). */
  expectRecordVersion(key: string, version: number): this {
    return this.check('jv', key, String(version));
  }

  /** The string at `key` must equal `value` (`undefined`: the key must not exist). */
  expectValue(key: string, value: string | undefined): this {
    return this.check('eq', key, value ?? '');
  }

  /** Appends a write: `command key ...args`. */
  write(command: PlanWriteCommand, key: string, ...args: Array<string | number>): this {
    this.writes.push([command, this.key(key), ...args.map(String)]);
    return this;
  }

  /**
   * Appends a stream event: `fields` (from `encodeEvent`, `data` last) to `stream`, and the
   * change JSON to `historyKey` (when given) with its stream id and notification decision.
   */
  event(stream: string, fields: string[], historyKey: string | undefined, changeJson: string, notification: PlanNotification): this {
    let n: PlanEvent['n'] = 0;
    if (notification.kind === 'suppressed') n = notification.reason;
    if (notification.kind === 'rate_limit') {
      n = [
        this.key(notification.bucketKey),
        this.key(notification.dayKey),
        String(notification.dayKeyTtlSeconds),
        String(notification.perMinute),
        String(notification.burst),
        String(notification.perDay),
        String(notification.nowMs),
      ];
    }
    this.events.push({ s: this.key(stream), h: historyKey ? this.key(historyKey) : 0, f: fields, c: changeJson, n });
    return this;
  }

  /** Runs the plan in one script. All keys must share one hash slot, which the store's key layout guarantees. */
  async run(redis: RedisConnection): Promise<PlanOutcome> {
    const plan: Record<string, unknown> = { ml: this.maxLen, hl: this.historyLimit };
    if (this.checks.length > 0) plan['c'] = this.checks;
    if (this.writes.length > 0) plan['w'] = this.writes;
    if (this.events.length > 0) plan['e'] = this.events;
    const reply = (await COMMIT.run(redis, this.keys, [JSON.stringify(plan)])) as unknown[];
    const status = String(reply[0]);
    if (status === 'conflict') {
      const check = this.checks[Number(reply[1]) - 1];
      return { status, key: check ? (this.keys[check[1] - 1] as string) : '' };
    }
    const events: Array<{ streamId: string; decision: PlanDecision }> = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      events.push({ streamId: String(reply[i]), decision: String(reply[i + 1]) as PlanDecision });
    }
    return { status: 'ok', events };
  }

  private check(kind: string, key: string, expected: string): this {
    if (this.checkedKeys.has(key)) return this;
    this.checkedKeys.add(key);
    this.checks.push([kind, this.key(key), expected]);
    return this;
  }

  private key(key: string): number {
    let index = this.keyIndex.get(key);
    if (index === undefined) {
      this.keys.push(key);
      index = this.keys.length;
      this.keyIndex.set(key, index);
    }
    return index;
  }
}
