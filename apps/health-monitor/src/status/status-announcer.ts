import { counter, createEvent, silentLogger, type Logger, type RedisConnection, type StreamPublisher, type SystemStatusData } from '@rebal/redis-client';
import type { Counter, Registry } from 'prom-client';
import type { LeaseCheck } from '../reaper/lease-lost-error';
import type { HealthStatus } from './health-snapshot';
import { findTransitions, type ScopeStatus, type Transition } from './transitions';

/** Longest `reason` put in an event. */
const MAX_REASON_LENGTH = 1_000;

/** Options of {@link StatusAnnouncer}. */
export interface StatusAnnouncerOptions {
  /** Command connection for the announced-status hash (not owned). */
  redis: RedisConnection;
  /** Publishes the `system_status` events on `risk_events` (its prefix applies). */
  publisher: StreamPublisher;
  /** Hash of the last announced status per scope, shared by the replicas, e.g. `<prefix>health-monitor:announced`. */
  key: string;
  /** The housekeeping lease: checked before every write. */
  lease: LeaseCheck;
  /** CloudEvents `source` (default `/health-monitor`). */
  source?: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry for `rebal_health_transitions_total` (default: the global registry). */
  registry?: Registry;
}

/**
 * Announces status changes as `system_status` events on `risk_events`: once per transition,
 * never once per check. Only the lease holder calls it, and it checks the lease before every
 * write, so a run that outlives its lease stops instead of announcing beside the new holder.
 * The last announced status of every scope lives in a Redis hash, read afresh by every call
 * (a copy kept in memory would be stale once another replica held the lease meanwhile), so a
 * new lease holder (or a restarted monitor) continues where the previous one stopped instead
 * of announcing everything again. Each change is published first and recorded second: a
 * crash in between repeats an event (at least once), it never loses one.
 */
export class StatusAnnouncer {
  private readonly redis: RedisConnection;
  private readonly publisher: StreamPublisher;
  private readonly key: string;
  private readonly source: string;
  private readonly logger: Logger;
  private readonly lease: LeaseCheck;
  private readonly transitions: Counter<'scope' | 'status'>;

  constructor(options: StatusAnnouncerOptions) {
    if (!options.redis || !options.publisher) throw new TypeError('StatusAnnouncer: redis and publisher are required');
    if (!options.key || !options.lease) throw new TypeError('StatusAnnouncer: key and lease are required');
    this.redis = options.redis;
    this.publisher = options.publisher;
    this.key = options.key;
    this.lease = options.lease;
    this.source = options.source ?? '/health-monitor';
    this.logger = options.logger ?? silentLogger();
    this.transitions = counter({
      name: 'rebal_health_transitions_total',
      help: 'Status transitions announced as system_status events, by scope kind (system, service, instance) and new status.',
      labelNames: ['scope', 'status'],
      registry: options.registry,
    });
  }

  /**
   * Publishes a `system_status` event for every scope whose status differs from the one last
   * announced, records the new statuses, and forgets scopes that no longer exist. Resolves
   * with the transitions announced. Rejects when Redis fails, or with `LeaseLostError` once the
   * lease is no longer held; what was not announced is announced by the next call (of whichever
   * replica holds the lease then).
   */
  async announce(scopes: readonly ScopeStatus[]): Promise<Transition[]> {
    const announced = await this.load();
    const changes = findTransitions(announced, scopes);
    for (const change of changes) {
      const data: SystemStatusData = { service: change.service, status: change.status, reason: change.reason.slice(0, MAX_REASON_LENGTH) };
      if (change.instance) data.instance = change.instance;
      this.lease.assertHeld();
      await this.publisher.publish('risk_events', createEvent({ type: 'system_status', source: this.source, subject: change.service, data }));
      await this.redis.hset(this.key, change.key, change.status);
      announced.set(change.key, change.status);
      this.transitions.inc({ scope: change.key.split(':')[0], status: change.status });
      this.logger.info({ scope: change.key, from: change.previous ?? 'unknown', to: change.status, reason: data.reason }, `status of ${change.key} changed to ${change.status}`);
    }
    // Healthy newcomers are recorded silently, so a later change has a baseline.
    const silent = scopes.filter((scope) => !announced.has(scope.key));
    if (silent.length > 0) {
      this.lease.assertHeld();
      await this.redis.hset(this.key, Object.fromEntries(silent.map((scope) => [scope.key, scope.status])));
      for (const scope of silent) announced.set(scope.key, scope.status);
    }
    const present = new Set(scopes.map((scope) => scope.key));
    const vanished = [...announced.keys()].filter((key) => !present.has(key));
    if (vanished.length > 0) {
      this.lease.assertHeld();
      await this.redis.hdel(this.key, ...vanished);
      for (const key of vanished) announced.delete(key);
    }
    return changes;
  }

  private async load(): Promise<Map<string, HealthStatus>> {
    const stored = await this.redis.hgetall(this.key);
    return new Map(Object.entries(stored).filter((entry): entry is [string, HealthStatus] => ['healthy', 'degraded', 'down'].includes(entry[1])));
  }
}
