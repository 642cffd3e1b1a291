import { counter, createEvent, silentLogger, type Logger, type RedisConnection, type StreamPublisher, type SystemStatusData } from '@rebal/redis-client';
import type { Counter, Registry } from 'prom-client';
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
  /** CloudEvents `source` (default `/health-monitor`). */
  source?: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry for `rebal_health_transitions_total` (default: the global registry). */
  registry?: Registry;
}

/**
 * Announces status changes as `system_status` events on `risk_events`: once per transition,
 * never once per check. Only the lease holder calls it, so two replicas never announce the
 * same change twice. The last announced status of every scope lives in a Redis hash, so a new
 * lease holder (or a restarted monitor) continues where the previous one stopped instead of
 * announcing everything again. Each change is published first and recorded second: a crash
 * in between repeats an event (at least once), it never loses one.
 */
export class StatusAnnouncer {
  private readonly redis: RedisConnection;
  private readonly publisher: StreamPublisher;
  private readonly key: string;
  private readonly source: string;
  private readonly logger: Logger;
  private readonly transitions: Counter<'scope' | 'status'>;
  private announced?: Map<string, HealthStatus>;

  constructor(options: StatusAnnouncerOptions) {
    if (!options.redis || !options.publisher) throw new TypeError('StatusAnnouncer: redis and publisher are required');
    if (!options.key) throw new TypeError('StatusAnnouncer: key is required');
    this.redis = options.redis;
    this.publisher = options.publisher;
    this.key = options.key;
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
   * with the transitions announced. Rejects when Redis fails; what was not announced is
   * announced by the next call.
   */
  async announce(scopes: readonly ScopeStatus[]): Promise<Transition[]> {
    const announced = await this.load();
    const changes = findTransitions(announced, scopes);
    for (const change of changes) {
      const data: SystemStatusData = { service: change.service, status: change.status, reason: change.reason.slice(0, MAX_REASON_LENGTH) };
      if (change.instance) data.instance = change.instance;
      await this.publisher.publish('risk_events', createEvent({ type: 'system_status', source: this.source, subject: change.service, data }));
      await this.redis.hset(this.key, change.key, change.status);
      announced.set(change.key, change.status);
      this.transitions.inc({ scope: change.key.split(':')[0], status: change.status });
      this.logger.info({ scope: change.key, from: change.previous ?? 'unknown', to: change.status, reason: data.reason }, `status of ${change.key} changed to ${change.status}`);
    }
    // Healthy newcomers are recorded silently, so a later change has a baseline.
    const silent = scopes.filter((scope) => !announced.has(scope.key));
    if (silent.length > 0) {
      await this.redis.hset(this.key, Object.fromEntries(silent.map((scope) => [scope.key, scope.status])));
      for (const scope of silent) announced.set(scope.key, scope.status);
    }
    const present = new Set(scopes.map((scope) => scope.key));
    const vanished = [...announced.keys()].filter((key) => !present.has(key));
    if (vanished.length > 0) {
      await this.redis.hdel(this.key, ...vanished);
      for (const key of vanished) announced.delete(key);
    }
    return changes;
  }

  /** Drops the in-memory copy of the announced statuses (after losing the lease): the next `announce` reads them again. */
  reset(): void {
    this.announced = undefined;
  }

  private async load(): Promise<Map<string, HealthStatus>> {
    if (!this.announced) {
      const stored = await this.redis.hgetall(this.key);
      this.announced = new Map(Object.entries(stored).filter((entry): entry is [string, HealthStatus] => ['healthy', 'degraded', 'down'].includes(entry[1])));
    }
    return this.announced;
  }
}
