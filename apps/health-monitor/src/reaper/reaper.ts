import { counter, silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Counter, Registry } from 'prom-client';
import type { HeartbeatRegistry, InstanceRecord } from '../collectors';
import type { ReapAction } from './plan-reaping';

/** Options of {@link Reaper}. */
export interface ReaperOptions {
  /** Command connection (not owned). */
  redis: RedisConnection;
  /** The heartbeat registry, to forget long-gone instances. */
  registry: HeartbeatRegistry;
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
  /** Instances forgotten. */
  forgotten: number;
  /** Actions that failed (logged, retried at the next check since the facts stay the same). */
  failures: number;
}

/**
 * Carries out the deletions `planReaping` decided, one command each (XGROUP DESTROY /
 * DELCONSUMER), logging and counting each. Run it only while holding the lease. Never throws:
 * a failed deletion is logged and counted, and the next check plans it again.
 */
export class Reaper {
  private readonly redis: RedisConnection;
  private readonly registry: HeartbeatRegistry;
  private readonly logger: Logger;
  private readonly reapedGroups: Counter;
  private readonly reapedConsumers: Counter;
  private readonly failures: Counter;

  constructor(options: ReaperOptions) {
    if (!options.redis || !options.registry) throw new TypeError('Reaper: redis and registry are required');
    this.redis = options.redis;
    this.registry = options.registry;
    this.logger = options.logger ?? silentLogger();
    this.reapedGroups = counter({ name: 'rebal_health_reaped_groups_total', help: 'Fan-out consumer groups of gone instances deleted (XGROUP DESTROY)', registry: options.metricsRegistry });
    this.reapedConsumers = counter({ name: 'rebal_health_reaped_consumers_total', help: 'Consumers of gone instances deleted from shared groups (XGROUP DELCONSUMER)', registry: options.metricsRegistry });
    this.failures = counter({ name: 'rebal_health_reap_failures_total', help: 'Reaping commands that failed', registry: options.metricsRegistry });
  }

  /** Performs `actions`, then forgets `forget` (compare-and-delete in the registry). */
  async run(actions: readonly ReapAction[], forget: readonly InstanceRecord[] = []): Promise<ReapResult> {
    const result: ReapResult = { groups: 0, consumers: 0, forgotten: 0, failures: 0 };
    for (const action of actions) {
      try {
        if (action.kind === 'destroy-group') {
          const destroyed = Number(await this.redis.xgroup('DESTROY', action.stream, action.group)) === 1;
          if (destroyed) {
            result.groups++;
            this.reapedGroups.inc();
            this.logger.info({ stream: action.stream, group: action.group, reason: action.reason }, `reaped fan-out group ${action.group} on ${action.stream}`);
          }
        } else {
          await this.redis.xgroup('DELCONSUMER', action.stream, action.group, action.consumer);
          result.consumers++;
          this.reapedConsumers.inc();
          this.logger.info({ stream: action.stream, group: action.group, consumer: action.consumer, reason: action.reason }, `reaped consumer ${action.consumer} of group ${action.group} on ${action.stream}`);
        }
      } catch (error) {
        result.failures++;
        this.failures.inc();
        this.logger.warn({ err: error, action }, 'reaping failed; retrying at the next check');
      }
    }
    for (const record of forget) {
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
    return result;
  }
}
