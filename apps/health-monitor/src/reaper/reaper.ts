import { join } from 'node:path';
import { counter, LuaScript, silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Counter, Registry } from 'prom-client';
import type { HeartbeatRegistry, InstanceRecord } from '../collectors';
import { LeaseLostError, type LeaseCheck } from './lease-lost-error';
import type { ReapAction } from './plan-reaping';

const DESTROY_UNREAD_GROUP = new LuaScript(join(__dirname, 'destroy-unread-group.lua'));
const DELETE_IDLE_CONSUMER = new LuaScript(join(__dirname, 'delete-idle-consumer.lua'));

/** Options of {@link Reaper}. */
export interface ReaperOptions {
  /** Command connection (not owned). */
  redis: RedisConnection;
  /** The heartbeat registry, to forget long-gone instances. */
  registry: HeartbeatRegistry;
  /** The housekeeping lease: checked before every deletion. */
  lease: LeaseCheck;
  /** `HEALTH_REAP_GRACE` in ms: how long a group must have waited unread, or a consumer been unseen. */
  graceMs: number;
  /** Logger: every deletion is logged at info (default: silent). */
  logger?: Logger;
  /** prom-client registry for the `rebal_health_reaped_*` counters (default: the global registry). */
  metricsRegistry?: Registry;
}

/** What one {@link Reaper.run} did. */
export interface ReapResult {
  /** Groups destroyed. */
  groups: number;
  /** Consumers deleted. */
  consumers: number;
  /** Planned deletions that Redis's state no longer supported when their turn came (kept). */
  kept: number;
  /** Instances forgotten. */
  forgotten: number;
  /** Actions that failed (logged, retried at the next check since the facts stay the same). */
  failures: number;
  /** True when the run stopped early because the lease was no longer held. */
  leaseLost: boolean;
}

/** Since when a fan-out group has been seen with entries waiting past one last delivered id. */
interface UnreadMark {
  lastDeliveredId: string;
  sinceMs: number;
}

/**
 * Carries out the deletions `planReaping` decided, each in one script that checks in Redis, at
 * that moment, what makes it safe (destroy-unread-group.lua, delete-idle-consumer.lua): the plan
 * was made from an earlier read, and the instance may have read since.
 *
 * A fan-out group goes only once it has been seen with entries waiting for it, at one and the
 * same last delivered id, for longer than the grace period: the reaper remembers since when
 * (on the Redis clock), and the script checks that the id is still that one. Redis does not
 * tell how long an entry has waited without XRANGE, which the monitor's ACL user does not have.
 *
 * Checks the lease before every command and stops once it is lost. Logs and counts each
 * deletion. Never throws: a failed deletion is logged and counted, and the next check plans it again.
 */
export class Reaper {
  private readonly redis: RedisConnection;
  private readonly registry: HeartbeatRegistry;
  private readonly lease: LeaseCheck;
  private readonly graceMs: number;
  private readonly logger: Logger;
  private readonly reapedGroups: Counter;
  private readonly reapedConsumers: Counter;
  private readonly failures: Counter;
  private unread = new Map<string, UnreadMark>();

  constructor(options: ReaperOptions) {
    if (!options.redis || !options.registry || !options.lease) throw new TypeError('Reaper: redis, registry and lease are required');
    if (!Number.isInteger(options.graceMs) || options.graceMs < 1) throw new RangeError(`Reaper: graceMs must be a positive integer, got ${options.graceMs}`);
    this.redis = options.redis;
    this.registry = options.registry;
    this.lease = options.lease;
    this.graceMs = options.graceMs;
    this.logger = options.logger ?? silentLogger();
    this.reapedGroups = counter({ name: 'rebal_health_reaped_groups_total', help: 'Fan-out consumer groups of gone instances deleted (XGROUP DESTROY)', registry: options.metricsRegistry });
    this.reapedConsumers = counter({ name: 'rebal_health_reaped_consumers_total', help: 'Consumers of gone instances deleted from shared groups (XGROUP DELCONSUMER)', registry: options.metricsRegistry });
    this.failures = counter({ name: 'rebal_health_reap_failures_total', help: 'Reaping commands that failed', registry: options.metricsRegistry });
  }

  /**
   * Performs `actions`, then forgets `forget` (compare-and-delete in the registry), while the
   * lease is held. `nowMs` is now on the Redis clock. A fan-out group that is not yet known to
   * have waited unread for the grace period is only noted (and counted as kept).
   */
  async run(actions: readonly ReapAction[], forget: readonly InstanceRecord[], nowMs: number): Promise<ReapResult> {
    const result: ReapResult = { groups: 0, consumers: 0, kept: 0, forgotten: 0, failures: 0, leaseLost: false };
    const unread = new Map<string, UnreadMark>();
    try {
      for (const action of actions) {
        if (action.kind === 'destroy-group') {
          const key = JSON.stringify([action.stream, action.group]);
          const seen = this.unread.get(key);
          const mark = seen?.lastDeliveredId === action.lastDeliveredId ? seen : { lastDeliveredId: action.lastDeliveredId, sinceMs: nowMs };
          unread.set(key, mark);
          if (nowMs - mark.sinceMs <= this.graceMs) {
            result.kept++;
            continue;
          }
        }
        await this.perform(action, result, nowMs);
      }
      for (const record of forget) await this.forget(record, result);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      result.leaseLost = true;
      this.logger.warn({ key: error.key }, 'lost the housekeeping lease while reaping; stopped');
    }
    // Only the groups that are still candidates are remembered: one read since breaks the wait.
    this.unread = unread;
    return result;
  }

  private async perform(action: ReapAction, result: ReapResult, nowMs: number): Promise<void> {
    this.lease.assertHeld();
    try {
      if (action.kind === 'destroy-group') {
        const reply = Number(await DESTROY_UNREAD_GROUP.run(this.redis, [action.stream], [action.group, action.lastDeliveredId]));
        if (reply === 1) {
          result.groups++;
          this.reapedGroups.inc();
          this.logger.info({ stream: action.stream, group: action.group, reason: action.reason }, `reaped fan-out group ${action.group} on ${action.stream}`);
        } else if (reply === -1) {
          result.kept++;
          this.logger.debug({ stream: action.stream, group: action.group }, 'kept a fan-out group: it was given entries since the plan, or nothing waits for it');
        }
      } else {
        const reply = Number(await DELETE_IDLE_CONSUMER.run(this.redis, [action.stream], [action.group, action.consumer, Math.floor(nowMs - this.graceMs)]));
        if (reply === 1) {
          result.consumers++;
          this.reapedConsumers.inc();
          this.logger.info({ stream: action.stream, group: action.group, consumer: action.consumer, reason: action.reason }, `reaped consumer ${action.consumer} of group ${action.group} on ${action.stream}`);
        } else if (reply === -1) {
          result.kept++;
          this.logger.debug({ stream: action.stream, group: action.group, consumer: action.consumer }, 'kept a consumer: entries pending, or seen within the grace period');
        }
      }
    } catch (error) {
      result.failures++;
      this.failures.inc();
      this.logger.warn({ err: error, action }, 'reaping failed; retrying at the next check');
    }
  }

  private async forget(record: InstanceRecord, result: ReapResult): Promise<void> {
    this.lease.assertHeld();
    try {
      if (await this.registry.forget(record)) {
        result.forgotten++;
        this.logger.info({ service: record.service, instance: record.instance }, 'forgot an instance gone for longer than HEALTH_FORGET_AFTER');
      }
    } catch (error) {
      result.failures++;
      this.failures.inc();
      this.logger.warn({ err: error, instance: record.instance }, 'forgetting an instance failed; retrying at the next check');
    }
  }
}
